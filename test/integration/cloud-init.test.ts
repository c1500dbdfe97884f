// cloud-init files for Trixie-era images, checked by the real cloud-init schema
// validator and netplan's real generator (both unpacked from Debian packages),
// with hostile values landing as data.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardConfig } from '../../electron/services/bootconfig/card-config';
import { cloudInitFiles } from '../../electron/services/bootconfig/formats/cloud-init';
import { generateHostKey } from '../../electron/services/bootconfig/host-keys';
import { hashPassword, wifiPsk } from '../../electron/services/bootconfig/secrets';
import { ensureDebianTools } from '../support/debian-tools';

let tools: ReturnType<typeof ensureDebianTools>;
let dir: string;
beforeAll(() => {
  tools = ensureDebianTools();
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-ci-'));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hostileSsid = `a'b"c $(x)\`y\`: #z`;
const config = (over: Partial<CardConfig> = {}): CardConfig => ({
  hostname: 'node-03',
  user: { name: 'ann', passwordHash: hashPassword('s3cret', 'abcdefgh'), passwordLogin: false },
  sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc ann@laptop'],
  wifi: { ssid: hostileSsid, psk: wifiPsk(hostileSsid, 'correct horse'), hidden: true, country: 'DE' },
  timezone: 'Europe/Berlin',
  keyboard: 'de',
  locale: 'de_DE.UTF-8',
  hostKey: generateHostKey('root@node-03'),
  extraCommands: 'echo "$(hostname) ready" > /root/ready',
  ...over,
});

function file(name: string, files: ReturnType<typeof cloudInitFiles>['files']): string {
  return files.find((f) => f.name === name)!.content;
}

describe('cloud-init files', () => {
  it('user-data passes cloud-init schema and says exactly what was set', () => {
    const cfg = config();
    const { files, cmdline } = cloudInitFiles(cfg, 'bramble-node-03-test');
    const userData = file('user-data', files);
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    const target = path.join(dir, 'user-data');
    writeFileSync(target, userData);
    const check = tools.cloudInitSchema(target);
    expect(check.output).toMatch(/Valid cloud-config/);
    expect(check.ok).toBe(true);

    const doc = parse(userData);
    expect(doc.hostname).toBe('node-03');
    expect(doc.users[0]).toMatchObject({ name: 'ann', passwd: cfg.user.passwordHash, ssh_authorized_keys: cfg.sshKeys, lock_passwd: false });
    expect(doc.ssh_pwauth).toBe(false);
    expect(doc.ssh_keys).toEqual({ ed25519_private: `${cfg.hostKey!.privateKey.trim()}\n`, ed25519_public: cfg.hostKey!.publicKey });
    expect(doc.runcmd[0]).toEqual(['bash', '-c', 'echo "$(hostname) ready" > /root/ready']);
    // The seed holds the host private key: it is blanked after first boot.
    expect(doc.runcmd[1][2]).toMatch(/user-data.*cleared by Bramble/);
    expect(parse(file('meta-data', files))).toEqual({ 'instance-id': 'bramble-node-03-test' });
    expect(cmdline).toEqual(['ds=nocloud;i=bramble-node-03-test', 'cfg80211.ieee80211_regdom=DE']);
    expect(userData).not.toContain('correct horse');
  });

  it('a misspelt key is caught by the same checker (the check can fail)', () => {
    const target = path.join(dir, 'bad-user-data');
    writeFileSync(target, '#cloud-config\nusers:\n  - name: ann\n    ssh_authorised_keys: [x]\n');
    expect(tools.cloudInitSchema(target).ok).toBe(false);
  });

  it('network-config passes netplan generate, with the hostile SSID kept verbatim and the PSK, not the passphrase', () => {
    const cfg = config();
    const network = file('network-config', cloudInitFiles(cfg).files);
    const root = path.join(dir, 'np');
    mkdirSync(path.join(root, 'etc/netplan'), { recursive: true });
    const netplanFile = path.join(root, 'etc/netplan/50-cloud-init.yaml');
    writeFileSync(netplanFile, `network:\n${network.replace(/^/gm, '  ')}`);
    chmodSync(netplanFile, 0o600);
    const gen = tools.netplanGenerate(root);
    expect(gen.output).toBe('');
    expect(gen.ok).toBe(true);
    const doc = parse(network);
    expect(Object.keys(doc.wifis.wlan0['access-points'])).toEqual([hostileSsid]);
    expect(doc.wifis.wlan0['access-points'][hostileSsid]).toEqual({ password: cfg.wifi!.psk, hidden: true });
    expect(doc.wifis.wlan0['regulatory-domain']).toBe('DE');
  });
});
