// A batch of cards, each written, verified and given its own first-boot files
// (name, user, key, Wi-Fi, its own pre-generated host key), through the real
// writer process onto loop devices standing in for SD cards. Afterwards Bramble
// knows each future node's host key and lists it as pending.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootSettings } from '../../shared/boot-settings';
import { createServices, type Services } from '../../electron/services';
import { fingerprint } from '../../electron/services/bootconfig/host-keys';
import { hashPassword, wifiPsk } from '../../electron/services/bootconfig/secrets';
import { ensureFixture, type Fixture } from '../fixtures/build-image';
import { attachLoop, type LoopDevice } from '../support/loop';

let fx: Fixture;
let dir: string;
let services: Services;
const loops: LoopDevice[] = [];

beforeAll(async () => {
  fx = await ensureFixture({ generation: 'bookworm', sizeMiB: 256 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-batch-'));
  services = createServices({ dataDir: path.join(dir, 'home'), transport: 'electron' });
}, 600_000);
afterAll(async () => {
  for (const l of loops) await l.detach();
  rmSync(dir, { recursive: true, force: true });
});

async function blankCard(name: string): Promise<LoopDevice> {
  const file = path.join(dir, `${name}.card`);
  const fd = openSync(file, 'w');
  ftruncateSync(fd, 300 << 20);
  closeSync(fd);
  const l = await attachLoop(file);
  loops.push(l);
  return l;
}

const settings: BootSettings = {
  hostnamePattern: 'node-{nn}',
  user: { name: 'ann', passwordHash: hashPassword('s3cret'), passwordLogin: false },
  sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc ann@laptop'],
  wifi: { ssid: 'Cluster', psk: wifiPsk('Cluster', 'correct horse'), hidden: false, country: 'GB' },
  timezone: 'Europe/London',
  format: 'auto',
};

const mtype = (img: string, offset: number, file: string) => execFileSync('mtype', ['-i', `${img}@@${offset}`, `::/${file}`], { encoding: 'utf8' });

describe('a batch of three cards with first-boot settings', () => {
  it('gives each card its own name and host key, records the keys, and lists three pending nodes', async () => {
    const cards = [await blankCard('a'), await blankCard('b'), await blankCard('c')];
    const started = await services.flash.start({ image: fx.xz, targets: cards.map((c) => c.device), boot: { settings } });
    expect(started.cards!.map((c) => c.hostname)).toEqual(['node-01', 'node-02', 'node-03']);
    const job = await services.flash.wait(started.jobId);
    expect(job.targets.map((t) => [t.phase, t.error])).toEqual([['done', undefined], ['done', undefined], ['done', undefined]]);
    expect(job.cards!.map((c) => c.format)).toEqual(['firstrun', 'firstrun', 'firstrun']);
    const fingerprints = job.cards!.map((c) => c.fingerprint);
    expect(new Set(fingerprints).size).toBe(3);

    for (const [i, card] of cards.entries()) {
      const name = `node-0${i + 1}`;
      const script = mtype(card.backingFile, fx.bootOffset, 'firstrun.sh');
      expect(script).toContain(`set_hostname ${name}`);
      expect(script).not.toContain('correct horse');
      const pub = /printf '%s\\n' '(ssh-ed25519 [^']+)' >\/etc\/ssh\/ssh_host_ed25519_key\.pub/.exec(script)?.[1];
      expect(pub).toBeDefined();
      expect(fingerprint(pub!)).toBe(fingerprints[i]);
      expect(mtype(card.backingFile, fx.bootOffset, 'cmdline.txt')).toMatch(/ systemd\.run=\/boot\/firstrun\.sh systemd\.run_success_action=reboot systemd\.unit=kernel-command-line\.target cfg80211\.ieee80211_regdom=GB\n$/);
      expect(services.knownHosts.keysFor(name)).toEqual([pub!.split(' ').slice(0, 2).join(' ')]);
      expect(services.knownHosts.keysFor(`${name}.local`)).toHaveLength(1);
      // The boot partition is still a clean FAT after Bramble's edits.
      await card.detach();
      const again = await attachLoop(card.backingFile);
      loops.push(again);
      const check = spawnSync('fsck.vfat', ['-n', again.partitions[0]!], { encoding: 'utf8' });
      expect(check.status, check.stdout).toBe(0);
      await again.detach();
    }
    expect(services.pending.list().map((n) => [n.name, n.user, n.hostKeyFingerprint])).toEqual([
      ['node-01', 'ann', fingerprints[0]],
      ['node-02', 'ann', fingerprints[1]],
      ['node-03', 'ann', fingerprints[2]],
    ]);
    expect(readFileSync(path.join(dir, 'home', 'pending-nodes.json'), 'utf8')).not.toMatch(/PRIVATE KEY|s3cret|correct horse/);
  });

  it('refuses names already pending in the fleet, and settings nobody could log in with', async () => {
    const card = await blankCard('d');
    await expect(services.flash.start({ image: fx.xz, targets: [card.device], boot: { settings, names: ['node-02'] } })).rejects.toThrow('The hostname node-02 is used twice');
    await expect(
      services.flash.start({ image: fx.xz, targets: [card.device], boot: { settings: { ...settings, sshKeys: [], user: { name: 'ann', passwordLogin: true } } } }),
    ).rejects.toThrow('Give a password or an SSH key');
  });
});
