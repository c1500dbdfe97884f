// File targets are for making card images only: the writer may run as root, so
// a request to "write an image" onto any other file is refused.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refuseTarget } from '../../electron/services/flash/target-policy';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const image = path.join(dir, 'raspios.img.xz');

describe('file targets', () => {
  it('allows a new or existing regular .img file', () => {
    expect(refuseTarget(path.join(dir, 'card.img'), [], image, 1)).toBeUndefined();
    writeFileSync(path.join(dir, 'old.img'), 'x');
    expect(refuseTarget(path.join(dir, 'old.img'), [], image, 1)).toBeUndefined();
  });
  it('refuses other files, links, missing folders and the image itself', () => {
    expect(refuseTarget('/etc/passwd', [], image, 1)).toBe('/etc/passwd is neither a drive nor a .img file; Bramble writes images only to drives and .img files.');
    symlinkSync('/etc/shadow', path.join(dir, 'evil.img'));
    expect(refuseTarget(path.join(dir, 'evil.img'), [], image, 1)).toMatch(/is not a regular file; Bramble will not write through links/);
    expect(refuseTarget(path.join(dir, 'nope', 'x.img'), [], image, 1)).toMatch(/does not exist/);
    expect(refuseTarget(image.replace(/\.xz$/, ''), [], image.replace(/\.xz$/, ''), 1)).toMatch(/is the image itself/);
    expect(refuseTarget('/dev/sdz', [], image, 1)).toMatch(/not a drive Bramble can see/);
  });
});

describe('opening file targets', () => {
  it('creates them owner-only and refuses a link swapped in after the policy check', async () => {
    const { openTarget } = await import('../../electron/services/flash/targets');
    const { statSync } = await import('node:fs');
    const fresh = path.join(dir, 'fresh.img');
    const t = await openTarget(fresh);
    await t.close();
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    const swapped = path.join(dir, 'swapped.img');
    symlinkSync(path.join(dir, 'fresh.img'), swapped);
    await expect(openTarget(swapped)).rejects.toThrow(/is a link; Bramble will not write through links/);
  });

  it('recognises the drive holding the image through a symlinked image path', async () => {
    const { realImagePath } = await import('../../electron/services/flash/target-policy');
    const real = path.join(dir, 'real.img');
    writeFileSync(real, 'x');
    symlinkSync(real, path.join(dir, 'alias.img'));
    expect(realImagePath(path.join(dir, 'alias.img'))).toBe(real);
  });
});
