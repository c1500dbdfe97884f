// Boot files written into FAT partitions without mounting, through FatFs: on
// filesystems made by mkfs.fat (plain, Pi-like 4-sector clusters, and a root
// directory so full it must grow), read back with mtools and checked with
// `fsck.vfat -n`, which must stay clean for the Pi to boot.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBootFiles, extendCmdline } from '../../electron/services/bootconfig/apply-boot-files';
import { firstrunFiles } from '../../electron/services/bootconfig/formats/firstrun';
import { cloudInitFiles } from '../../electron/services/bootconfig/formats/cloud-init';
import { generateHostKey } from '../../electron/services/bootconfig/host-keys';
import { hashPassword, wifiPsk } from '../../electron/services/bootconfig/secrets';
import type { CardConfig } from '../../electron/services/bootconfig/card-config';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-fat-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const START = 8192; // sectors: 4 MiB, as Raspberry Pi OS images place bootfs

/** An MBR disk image with one FAT32 partition at 4 MiB, made by sfdisk, mkfs.vfat and mcopy. */
function makeDisk(name: string, mkfsArgs: string[], extraFiles = 0, partMiB = 64): string {
  const img = path.join(dir, `${name}.img`);
  const part = path.join(dir, `${name}.part`);
  execFileSync('truncate', ['-s', `${partMiB + 8}M`, img]);
  execFileSync('sfdisk', ['-q', img], { input: `label: dos\nlabel-id: 0x1234abcd\nstart=${START}, size=${partMiB * 2048}, type=c\n` });
  execFileSync('truncate', ['-s', `${partMiB}M`, part]);
  execFileSync('mkfs.vfat', ['-F', '32', '-n', 'bootfs', ...mkfsArgs, part], { stdio: 'ignore' });
  const src = path.join(dir, `${name}-files`);
  execFileSync('mkdir', ['-p', src]);
  writeFileSync(path.join(src, 'cmdline.txt'), 'console=serial0,115200 console=tty1 root=PARTUUID=1234abcd-02 rootfstype=ext4 fsck.repair=yes rootwait quiet\n');
  writeFileSync(path.join(src, 'config.txt'), '[all]\ndtparam=audio=on\n');
  for (let i = 0; i < extraFiles; i++) writeFileSync(path.join(src, `overlay-${String(i).padStart(3, '0')}-with-a-long-name.dtbo`), `o${i}`);
  execFileSync('sh', ['-c', `mcopy -s -i '${part}' '${src}'/* ::/`]);
  execFileSync('dd', [`if=${part}`, `of=${img}`, 'bs=1M', `seek=${START / 2048}`, 'conv=notrunc,sparse', 'status=none']);
  return img;
}

function fsck(img: string): { status: number | null; out: string } {
  const part = path.join(dir, 'check.part');
  execFileSync('dd', [`if=${img}`, `of=${part}`, 'bs=1M', `skip=${START / 2048}`, 'status=none']);
  const r = spawnSync('fsck.vfat', ['-n', part], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

const mtype = (img: string, file: string) => execFileSync('mtype', ['-i', `${img}@@${START * 512}`, `::/${file}`], { encoding: 'utf8' });

const card: CardConfig = {
  hostname: 'node-02',
  user: { name: 'pi', passwordHash: hashPassword('raspberry', 'abcdefgh'), passwordLogin: true },
  sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc ann@laptop'],
  wifi: { ssid: 'Home "5G"', psk: wifiPsk('Home "5G"', 'correct horse'), hidden: false, country: 'GB' },
  hostKey: generateHostKey('root@node-02'),
};

describe('boot files on a FAT partition', () => {
  // FAT32 needs at least 65525 clusters, so 2 KiB clusters (Raspberry Pi's -s 4) need a larger partition.
  for (const [name, args, extra, mib] of [
    ['plain', [], 0, 64],
    ['pi-like', ['-s', '4'], 0, 300],
    ['full-root', ['-s', '1'], 300, 64],
  ] as const) {
    it(`${name}: firstrun.sh and cmdline.txt land exactly, and fsck.vfat -n stays clean`, async () => {
      const img = makeDisk(name, [...args], extra, mib);
      expect(fsck(img).status).toBe(0);
      const boot = firstrunFiles(card);
      const applied = await applyBootFiles(img, boot);
      expect(mtype(img, 'firstrun.sh')).toBe(boot.files[0]!.content);
      expect(mtype(img, 'cmdline.txt')).toBe(applied.cmdline);
      expect(applied.cmdline).toBe(
        'console=serial0,115200 console=tty1 root=PARTUUID=1234abcd-02 rootfstype=ext4 fsck.repair=yes rootwait quiet systemd.run=/boot/firstrun.sh systemd.run_success_action=reboot systemd.unit=kernel-command-line.target cfg80211.ieee80211_regdom=GB\n',
      );
      expect(mtype(img, 'config.txt')).toBe('[all]\ndtparam=audio=on\n');
      const check = fsck(img);
      expect(check.out).not.toMatch(/differ|mismatch|Free cluster summary wrong|error/i);
      expect(check.status).toBe(0);
    });
  }

  it('configuring a card twice leaves one set of cmdline tokens and the newer files', async () => {
    const img = makeDisk('twice', ['-s', '4'], 0, 300);
    await applyBootFiles(img, firstrunFiles(card));
    const second = cloudInitFiles({ ...card, hostname: 'node-09' }, 'bramble-node-09');
    await applyBootFiles(img, second);
    const line = mtype(img, 'cmdline.txt');
    expect(line.match(/cfg80211\.ieee80211_regdom=/g)).toHaveLength(1);
    expect(line).toContain('ds=nocloud;i=bramble-node-09');
    expect(mtype(img, 'user-data')).toContain('hostname: node-09');
    expect(fsck(img).status).toBe(0);
  });

  it('says plainly when the target has no Pi boot partition', async () => {
    const blank = path.join(dir, 'blank.img');
    execFileSync('truncate', ['-s', '8M', blank]);
    await expect(applyBootFiles(blank, firstrunFiles(card))).rejects.toThrow(/has no partition table; was the image written\?/);
  });

  it('extends cmdline.txt idempotently', () => {
    expect(extendCmdline('a=1 b\n', ['c=2', 'a=3'])).toBe('b c=2 a=3\n');
  });
});
