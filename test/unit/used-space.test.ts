// The free-space map's refusals: whatever it cannot prove free is written.
// (Its positive case, real FAT32 and ext4 written by the Debian tools, is in
// test/integration/flash.test.ts, where the card's files are compared.)
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UsedSpace } from '../../electron/services/flash/used-space';

const MIB = 1 << 20;

function written(image: Buffer, chunk = MIB): number {
  const map = new UsedSpace();
  let n = 0;
  for (let o = 0; o < image.length; o += chunk) {
    const data = image.subarray(o, Math.min(image.length, o + chunk));
    map.feed(o, data);
    n += map.usedSegments(o, data.length).reduce((sum, s) => sum + s.length, 0);
  }
  return n;
}

function mbr(image: Buffer, entries: { type: number; startSector: number; sectors: number }[]): void {
  entries.forEach((e, i) => {
    const at = 446 + 16 * i;
    image[at + 4] = e.type;
    image.writeUInt32LE(e.startSector, at + 8);
    image.writeUInt32LE(e.sectors, at + 12);
  });
  image.writeUInt16LE(0xaa55, 510);
}

describe('UsedSpace', () => {
  it('writes everything of an image without a partition table', () => {
    const image = randomBytes(8 * MIB);
    image.writeUInt16LE(0x1234, 510);
    expect(written(image)).toBe(image.length);
  });

  it('writes all of a partition whose filesystem it does not recognise', () => {
    const image = Buffer.alloc(8 * MIB);
    mbr(image, [{ type: 0x83, startSector: 2048, sectors: 8192 }, { type: 0x07, startSector: 10240, sectors: 4096 }]);
    // Zeros where an ext superblock's magic would be, and an NTFS partition.
    expect(written(image)).toBe(image.length);
  });

  it('writes the blocks that stream past before the bitmap describing them', () => {
    const image = Buffer.alloc(8 * MIB);
    mbr(image, [{ type: 0x83, startSector: 2048, sectors: 12288 }]);
    const fs = 2048 * 512;
    const sb = fs + 1024;
    image.writeUInt32LE(1536, sb + 4); // blocks (4 KiB)
    image.writeUInt32LE(0, sb + 20); // first data block
    image.writeUInt32LE(2, sb + 24); // 1024 << 2 = 4096
    image.writeUInt32LE(32768, sb + 32); // blocks per group
    image.writeUInt16LE(0xef53, sb + 56);
    image.writeUInt16LE(1, sb + 58); // cleanly unmounted
    // One group; its block bitmap in the filesystem's last block, marking only itself used.
    image.writeUInt32LE(1535, fs + 4096);
    const bitmap = fs + 1535 * 4096;
    image[bitmap + (1535 >> 3)]! |= 1 << (1535 & 7);
    for (let b = 1536; b < 32768; b++) image[bitmap + (b >> 3)]! |= 1 << (b & 7);
    // In 1 MiB chunks: the MiB before the partition, the 5 MiB before the bitmap's
    // MiB (not known free when they went by), the bitmap block, and the MiB after.
    expect(written(image)).toBe(MIB + 5 * MIB + 4096 + MIB);
  });

  it('leaves out the free blocks of an ext filesystem whose bitmap comes first, and writes its metadata', () => {
    const image = Buffer.alloc(8 * MIB);
    mbr(image, [{ type: 0x83, startSector: 2048, sectors: 12288 }]);
    const fs = 2048 * 512;
    const sb = fs + 1024;
    image.writeUInt32LE(1536, sb + 4);
    image.writeUInt32LE(2, sb + 24);
    image.writeUInt32LE(32768, sb + 32);
    image.writeUInt16LE(0xef53, sb + 56);
    image.writeUInt16LE(1, sb + 58); // cleanly unmounted
    image.writeUInt32LE(2, fs + 4096); // bitmap in block 2
    // Blocks 0-2 (superblock, descriptors, bitmap) and 100-109 in use; the bits past the end set, as mke2fs does.
    const bitmap = fs + 2 * 4096;
    const use = (b: number) => (image[bitmap + (b >> 3)]! |= 1 << (b & 7));
    for (const b of [0, 1, 2, ...Array.from({ length: 10 }, (_, i) => 100 + i)]) use(b);
    for (let b = 1536; b < 32768; b++) use(b);
    // Before the partition: 1 MiB; in use: 13 blocks; after the filesystem's 6 MiB: 1 MiB.
    expect(written(image)).toBe(MIB + 13 * 4096 + MIB);
  });

  it('reads a FAT32 volume with fewer than 65525 clusters as FAT32 (32-bit entries), as Linux does', () => {
    // mkfs.fat -F 32 makes such volumes; read as FAT16, odd clusters' entries land on zero high halves.
    const image = Buffer.alloc(40 * MIB);
    mbr(image, [{ type: 0x0c, startSector: 2048, sectors: 32 * 2048 }]);
    const fs = 2048 * 512;
    image.writeUInt16LE(512, fs + 11); // bytes per sector
    image[fs + 13] = 8; // 4 KiB clusters
    image.writeUInt16LE(32, fs + 14); // reserved sectors
    image[fs + 16] = 2; // FATs
    image.writeUInt16LE(0, fs + 22); // no 16-bit FAT size: FAT32
    image.writeUInt32LE(32 * 2048, fs + 32); // total sectors
    image.writeUInt32LE(64, fs + 36); // sectors per FAT (enough for ~8190 entries)
    image.writeUInt16LE(0xaa55, fs + 510);
    const fat = fs + 32 * 512;
    // A file in clusters 3..258, each pointing to the next.
    for (let c = 3; c < 258; c++) image.writeUInt32LE(c + 1, fat + c * 4);
    image.writeUInt32LE(0x0fffffff, fat + 258 * 4);
    const dataStart = fs + (32 + 2 * 64) * 512;
    const map = new UsedSpace();
    for (let o = 0; o < image.length; o += MIB) map.feed(o, image.subarray(o, o + MIB));
    const used = (offset: number) => map.usedSegments(offset, 4096).length > 0;
    for (let c = 3; c <= 258; c++) expect(used(dataStart + (c - 2) * 4096), `cluster ${c}`).toBe(true);
    expect(used(dataStart + (300 - 2) * 4096)).toBe(false);
  });
});
