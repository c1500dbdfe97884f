// The per-node sshd_config. Everything a node needs differs only by address,
// key, directories and user; the rest mirrors a stock Raspberry Pi OS sshd
// closely enough for clients (publickey only, sftp available).
import { spawnSync } from 'node:child_process';

export const SSHD = '/usr/sbin/sshd';

export interface SshdConfigInput {
  host: string;
  hostKeyPath: string;
  user: string;
  authorizedKeysFile: string;
  binDir: string;
}

let cachedVersion: [number, number] | undefined;

/** OpenSSH version of the sshd binary, e.g. [9, 2]. */
export function sshdVersion(): [number, number] {
  if (!cachedVersion) {
    const r = spawnSync(SSHD, ['-V'], { encoding: 'utf8' });
    const m = /OpenSSH_(\d+)\.(\d+)/.exec(`${r.stdout}${r.stderr}`);
    if (!m) throw new Error(`fleet: cannot read the OpenSSH version from ${SSHD} -V (is openssh-server installed?)`);
    cachedVersion = [Number(m[1]), Number(m[2])];
  }
  return cachedVersion;
}

export function sshdConfig(c: SshdConfigInput): string {
  const [major, minor] = sshdVersion();
  const lines = [
    `ListenAddress ${c.host}:22`,
    `HostKey ${c.hostKeyPath}`,
    // The harness knows the pid (the node's init); a pid file would only cost a file creation.
    'PidFile none',
    // With UsePAM no, sshd checks the shadow entry itself: the account has password `*`.
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin no',
    `AllowUsers ${c.user}`,
    `AuthorizedKeysFile ${c.authorizedKeysFile}`,
    'StrictModes yes',
    // Non-login `ssh node cmd` sessions get this PATH; login shells reset it in
    // /etc/profile, so ~/.profile prepends the fake bin directory again.
    `SetEnv PATH=${c.binDir}:/usr/local/bin:/usr/bin:/bin`,
    'Subsystem sftp internal-sftp',
    // Every client of every node comes from 127.0.0.1: the default 10:30:100
    // would drop connections when a benchmark opens hundreds at once.
    'MaxStartups 200:30:400',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'LogLevel INFO',
  ];
  // OpenSSH 9.8+ penalises a source address after failed or dropped sessions; all
  // test clients share 127.0.0.1, so one test's kills would lock out the next.
  if (major > 9 || (major === 9 && minor >= 8)) lines.push('PerSourcePenalties no');
  return lines.join('\n') + '\n';
}
