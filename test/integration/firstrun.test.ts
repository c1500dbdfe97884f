// firstrun.sh as the Pi runs it: checked by bash -n and shellcheck, then run in
// a throwaway root (chroot) where Raspberry Pi OS's helpers (imager_custom,
// userconf, systemctl) are recording stand-ins. The values they receive must be
// exactly what the user typed, and nothing typed may ever run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardConfig } from '../../electron/services/bootconfig/card-config';
import { FIRSTRUN_CMDLINE, firstrunScript } from '../../electron/services/bootconfig/formats/firstrun';
import { generateHostKey } from '../../electron/services/bootconfig/host-keys';
import { hashPassword, wifiPsk } from '../../electron/services/bootconfig/secrets';
import { makeChroot, type Chroot } from '../support/chroot';

const RECORDER = `#!/bin/bash
# Records its name and arguments, NUL-separated, one call per line of the log.
{ printf '%s\\0' "$(basename "$0")" "$@"; printf '\\n'; } >>/tmp/calls.log
`;

let chroot: Chroot | undefined;
afterEach(() => chroot?.remove());

function calls(c: Chroot): string[][] {
  if (!existsSync(c.path('/tmp/calls.log'))) return [];
  return readFileSync(c.path('/tmp/calls.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\0').slice(0, -1));
}

function run(config: CardConfig, withHelpers = true): Chroot {
  const c = makeChroot(['bash', 'tr', 'cat', 'sed', 'rm', 'cut', 'getent', 'install', 'chmod', 'chown', 'basename', 'touch', 'id']);
  c.write('/etc/hostname', 'raspberrypi\n');
  c.write('/etc/hosts', '127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n');
  c.write('/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\npi:x:1000:1000::/home/pi:/bin/bash\n');
  c.write('/etc/group', 'root:x:0:\npi:x:1000:\n');
  c.write('/boot/firmware/cmdline.txt', `console=tty1 root=PARTUUID=abcd-02 rootwait ${FIRSTRUN_CMDLINE.join(' ')}\n`);
  c.write('/boot/firmware/firstrun.sh', firstrunScript(config), 0o755);
  c.write('/usr/bin/systemctl', RECORDER, 0o755);
  if (withHelpers) {
    c.write('/usr/lib/raspberrypi-sys-mods/imager_custom', RECORDER, 0o755);
    c.write('/usr/lib/userconf-pi/userconf', RECORDER, 0o755);
  }
  const r = c.run(['/bin/bash', '/boot/firmware/firstrun.sh']);
  expect(r.status, r.stderr).toBe(0);
  chroot = c;
  return c;
}

const hostile = "it's $(touch /tmp/pwned) `touch /tmp/pwned2` \"q\" \\ ;|&";

function config(over: Partial<CardConfig> = {}): CardConfig {
  return {
    hostname: 'node-01',
    user: { name: 'ann', passwordHash: hashPassword(hostile, 'saltsalt'), passwordLogin: false },
    sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc ann@laptop'],
    wifi: { ssid: hostile.slice(0, 32), psk: wifiPsk(hostile.slice(0, 32), 'correct horse'), hidden: true, country: 'GB' },
    timezone: 'Europe/London',
    keyboard: 'gb',
    ...over,
  };
}

describe('firstrun.sh', () => {
  it('passes bash -n and shellcheck', () => {
    const script = firstrunScript({ ...config(), hostKey: generateHostKey('root@node-01') });
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    const sc = spawnSync('shellcheck', ['-s', 'bash', '-S', 'warning', '-'], { input: script, encoding: 'utf8' });
    expect(sc.stdout).toBe('');
    expect(sc.status).toBe(0);
  });

  it("hands Raspberry Pi OS's helpers the exact values, hostile ones as data, then removes itself", () => {
    const cfg = config();
    const c = run(cfg);
    expect(calls(c)).toEqual([
      ['imager_custom', 'set_hostname', 'node-01'],
      ['imager_custom', 'enable_ssh', '-p', '-k', cfg.sshKeys[0]!],
      ['userconf', 'ann', cfg.user.passwordHash!],
      ['imager_custom', 'set_wlan', '-h', cfg.wifi!.ssid, cfg.wifi!.psk, 'GB'],
      ['imager_custom', 'set_keymap', 'gb'],
      ['imager_custom', 'set_timezone', 'Europe/London'],
    ]);
    expect(existsSync(c.path('/tmp/pwned'))).toBe(false);
    expect(existsSync(c.path('/tmp/pwned2'))).toBe(false);
    expect(existsSync(c.path('/boot/firmware/firstrun.sh'))).toBe(false);
    expect(readFileSync(c.path('/boot/firmware/cmdline.txt'), 'utf8')).toBe('console=tty1 root=PARTUUID=abcd-02 rootwait\n');
  });

  it('installs the pre-generated host key and keeps Pi OS from replacing it', () => {
    const key = generateHostKey('root@node-01');
    const c = run({ ...config(), hostKey: key });
    expect(readFileSync(c.path('/etc/ssh/ssh_host_ed25519_key'), 'utf8')).toBe(`${key.privateKey.trim()}\n`);
    expect(readFileSync(c.path('/etc/ssh/ssh_host_ed25519_key.pub'), 'utf8')).toBe(`${key.publicKey}\n`);
    expect(calls(c)).toContainEqual(['systemctl', 'disable', 'regenerate_ssh_host_keys.service']);
    // ssh-keygen agrees the pair belongs together.
    const derived = execFileSync('ssh-keygen', ['-y', '-f', c.path('/etc/ssh/ssh_host_ed25519_key')], { encoding: 'utf8' }).trim();
    expect(derived.split(' ').slice(0, 2)).toEqual(key.publicKey.split(' ').slice(0, 2));
  });

  it('falls back to plain files without the helpers: hostname, keys, Wi-Fi config', () => {
    const cfg = config({ user: { name: 'pi', passwordLogin: true } });
    const c = run(cfg, false);
    expect(readFileSync(c.path('/etc/hostname'), 'utf8')).toBe('node-01\n');
    expect(readFileSync(c.path('/etc/hosts'), 'utf8')).toContain('127.0.1.1\tnode-01');
    expect(readFileSync(c.path('/home/pi/.ssh/authorized_keys'), 'utf8')).toBe(`${cfg.sshKeys[0]}\n`);
    const wpa = readFileSync(c.path('/etc/wpa_supplicant/wpa_supplicant.conf'), 'utf8');
    expect(wpa).toContain(`ssid=${Buffer.from(cfg.wifi!.ssid).toString('hex')}`);
    expect(wpa).toContain(`psk=${cfg.wifi!.psk}`);
    expect(wpa).not.toContain('correct horse');
    expect(calls(c)).toContainEqual(['systemctl', 'enable', 'ssh']);
    expect(existsSync(c.path('/tmp/pwned'))).toBe(false);
  });
});
