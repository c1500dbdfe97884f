// The first-boot format chosen from the image itself: the root partition's
// os-release read without mounting, and cloud-init seed files on the boot
// partition, on fixture images of each generation.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureCard, detectFormat } from '../../electron/services/bootconfig/configure-card';
import type { CardConfig } from '../../electron/services/bootconfig/card-config';
import { wifiPsk } from '../../electron/services/bootconfig/secrets';
import { FatPartition } from '../../electron/services/bootconfig/fat-partition';
import { readOsRelease } from '../../electron/services/bootconfig/os-release';
import { ensureFixture } from '../fixtures/build-image';
import { sha256Prefix } from '../support/hash';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-gen-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OS generation of an image', () => {
  // The trixie fixture is like the later Trixie images: its boot partition carries the NoCloud seed.
  for (const [generation, format] of [['bullseye', 'firstrun'], ['bookworm', 'firstrun'], ['trixie', 'cloud-init']] as const) {
    it(`${generation}: os-release is read from the ext4 root without mounting, and ${format} is chosen`, async () => {
      const fx = await ensureFixture({ generation, sizeMiB: 256 });
      expect((await readOsRelease(fx.img))?.codename).toBe(generation);
      expect(await detectFormat(fx.img)).toEqual({ format, codename: generation });
      // Reading is only reading: the image's checksum is unchanged.
      expect(sha256Prefix(fx.img, statSync(fx.img).size)).toBe(fx.sha256.img);
    }, 300_000);
  }

  it('a boot partition carrying cloud-init seed files means cloud-init, whatever the generation', async () => {
    const fx = await ensureFixture({ generation: 'bookworm', sizeMiB: 256 });
    const img = path.join(dir, 'seeded.img');
    copyFileSync(fx.img, img);
    const fat = await FatPartition.open(img);
    fat.writeFile('meta-data', 'instance-id: rpios-image\n');
    fat.close();
    expect((await detectFormat(img)).format).toBe('cloud-init');
  }, 300_000);

  it('says nothing rather than guessing when there is no readable root', async () => {
    expect(await readOsRelease(path.join(dir, 'missing.img'))).toBeUndefined();
  });

  it('warns that a bookworm card forced to the legacy files will not join its Wi-Fi, and writes them anyway', async () => {
    const fx = await ensureFixture({ generation: 'bookworm', sizeMiB: 256 });
    const img = path.join(dir, 'legacy-on-bookworm.img');
    copyFileSync(fx.img, img);
    const config = {
      hostname: 'node-01',
      user: { name: 'pi', passwordHash: '$6$abcdefgh$KQeXafAQAaOoKTevphVU215RvJdgzyfASRasIOuh12hO8u0r1bGW92ZnTmC9IjsiQ8VPiTXBiZF49dFL1U4wX/', passwordLogin: true },
      sshKeys: [],
      wifi: { ssid: 'Lab', psk: wifiPsk('Lab', 'correct horse'), hidden: false, country: 'GB' },
    };
    const done = await configureCard(img, 'legacy', config as unknown as CardConfig);
    expect(done.files).toContain('wpa_supplicant.conf');
    expect(done.warnings.join(' ')).toMatch(/bookworm ignores wpa_supplicant\.conf, so this card will not join "Lab"/);
    // The same on bullseye, which reads it, says nothing.
    const old = await ensureFixture({ generation: 'bullseye', sizeMiB: 256 });
    const img2 = path.join(dir, 'legacy-on-bullseye.img');
    copyFileSync(old.img, img2);
    expect((await configureCard(img2, 'legacy', config as unknown as CardConfig)).warnings.filter((w) => /wpa_supplicant/.test(w))).toEqual([]);
  }, 300_000);
});
