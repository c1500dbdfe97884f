// The safety verdicts that decide which drives may be written, on drive lists
// shaped like drivelist's (no real disk of this machine is involved).
import { describe, expect, it } from 'vitest';
import { driveVerdicts, mountpointOf, refusal, type Drive } from '../../shared/drives';

const card = (over: Partial<Drive> = {}): Drive => ({
  device: '/dev/sdb',
  description: 'Generic SD Reader',
  size: 32e9,
  isSystem: false,
  isRemovable: true,
  isReadOnly: false,
  isVirtual: false,
  isLoop: false,
  busType: 'USB',
  mountpoints: [],
  ...over,
});

const codes = (d: Drive, ctx = {}) => driveVerdicts(d, ctx).map((v) => `${v.level}:${v.code}`);

describe('drive verdicts', () => {
  it('clears an ordinary card for an image that fits', () => {
    expect(codes(card(), { imageSize: 2e9 })).toEqual([]);
    expect(refusal(driveVerdicts(card(), { imageSize: 2e9 }))).toBeUndefined();
  });

  it('refuses a card too small for the image, saying both sizes', () => {
    const [v] = driveVerdicts(card({ size: 1e9 }), { imageSize: 2.5e9 });
    expect(v).toMatchObject({ code: 'too-small', level: 'error' });
    expect(v!.message).toBe('Generic SD Reader (/dev/sdb) is too small: the image needs 2.5 GB and the drive has 1.0 GB.');
  });

  it('refuses a locked card and a reader without media', () => {
    expect(codes(card({ isReadOnly: true }))).toEqual(['error:read-only']);
    expect(codes(card({ size: null }))).toEqual(['error:no-media']);
  });

  it('marks a system drive as danger: refused unless the user asked for system drives', () => {
    const sys = card({ device: '/dev/loop7', isSystem: true, isLoop: true, isVirtual: true, backingFile: '/var/img' });
    expect(codes(sys)).toEqual(['danger:system']);
    expect(refusal(driveVerdicts(sys))).toMatch(/system drive of this computer.*refuses unless you turn on "show system drives"/);
    expect(refusal(driveVerdicts(sys), { allowSystemDrive: true })).toBeUndefined();
  });

  it('refuses the drive that holds the image, by mount point or loop backing file', () => {
    const drives = [card({ device: '/dev/sda', isSystem: true, mountpoints: ['/'] }), card({ mountpoints: ['/media/ann/usb'] })];
    const imagePath = '/media/ann/usb/raspios.img.xz';
    const mp = mountpointOf(drives, imagePath);
    expect(mp).toBe('/media/ann/usb');
    expect(codes(drives[1]!, { imagePath, imageMountpoint: mp })).toEqual(['error:source']);
    expect(codes(drives[0]!, { imagePath, imageMountpoint: mp })).toEqual(['danger:system']);
    const loop = card({ device: '/dev/loop3', isLoop: true, backingFile: '/tmp/card.img' });
    expect(codes(loop, { imagePath: '/tmp/card.img' })).toEqual(['error:source']);
    expect(mountpointOf(drives, '/media/ann/usb2/x.img')).toBe('/');
  });

  it('warns about drives over 128 GB without refusing them', () => {
    const big = card({ size: 256e9 });
    expect(codes(big)).toEqual(['warning:large']);
    expect(refusal(driveVerdicts(big))).toBeUndefined();
  });
});

describe('size hints', () => {
  it('only warns "may be too small" when the image size is a hint (gzip), since the hint can be wrong', () => {
    const [v] = driveVerdicts(card({ size: 1e9 }), { imageSize: 3e9, imageSizeExact: false });
    expect(v).toMatchObject({ code: 'too-small', level: 'warning' });
    expect(v!.message).toMatch(/may be too small: the image says it needs about 3\.0 GB/);
  });
});
