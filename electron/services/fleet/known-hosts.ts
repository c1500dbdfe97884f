// Bramble's own known_hosts (OpenSSH format, in the data folder). Keys of
// cards Bramble flashed are recorded before the boards boot, so first contact
// is verified. Recording a name again replaces its old key: that is what
// re-flashing a node means, and it is only done by an explicit action.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../storage/write-atomic';

export type HostKeyVerdict = 'verified' | 'unknown' | 'mismatch';

/** A host key as the node presented it (the SSH wire blob). */
export interface PresentedKey {
  /** `ssh-ed25519 AAAA…` */
  line: string;
  /** `SHA256:…` as OpenSSH prints it. */
  fingerprint: string;
}

export function presentedKey(blob: Buffer): PresentedKey {
  const typeLen = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = blob.subarray(4, 4 + typeLen).toString('latin1');
  return {
    line: `${type} ${blob.toString('base64')}`,
    fingerprint: 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, ''),
  };
}

/** How OpenSSH names a host in known_hosts: bare on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export class KnownHosts {
  constructor(readonly file: string) {}

  lines(): string[] {
    return existsSync(this.file) ? readFileSync(this.file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')) : [];
  }

  /** Keys recorded for a host name (or alias). */
  keysFor(host: string): string[] {
    return this.lines()
      .filter((l) => l.split(/\s+/)[0]!.split(',').includes(host))
      .map((l) => l.split(/\s+/).slice(1, 3).join(' '));
  }

  /**
   * Checks a presented key against every key recorded under any of `names`:
   * any match verifies; keys recorded but none matching is a mismatch (the
   * node was reflashed, or something is impersonating it).
   */
  check(names: string[], key: PresentedKey): HostKeyVerdict {
    const recorded = names.flatMap((n) => this.keysFor(n));
    if (recorded.length === 0) return 'unknown';
    return recorded.includes(key.line) ? 'verified' : 'mismatch';
  }

  /** Records `names` (host, host.local, …) with this key, replacing what they had. */
  async set(names: string[], publicKey: string): Promise<void> {
    const key = publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
    const kept = this.lines().filter((l) => !l.split(/\s+/)[0]!.split(',').some((n) => names.includes(n)));
    await writeFileAtomic(this.file, `${[...kept, `${names.join(',')} ${key}`].join('\n')}\n`, { mode: 0o600 });
  }
}
