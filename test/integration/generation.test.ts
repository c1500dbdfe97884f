// The first-boot format chosen from the image itself: the root partition's
// os-release read without mounting, and cloud-init seed files on the boot
// partition, on fixture images of each generation.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../electron/services/bootconfig/configure-card';
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
});
