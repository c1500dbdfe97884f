// Which blocks of an image its filesystems actually use, learnt from the image
// as it streams past, so a card is written where it matters and not in free
// space (what a .bmap file says, for images that come without one).
//
// Reads the MBR, then for each FAT16/FAT32 partition its first FAT and for each
// ext2/3/4 partition its superblock, group descriptors and block bitmaps. Both
// layouts put that metadata before the data it describes (FATs precede the data
// area; ext4 bitmaps open their flex group), so a streaming pass knows a block
// is free before the block goes by. Anything not proven free is written: space
// outside partitions, unknown filesystems, FAT12, ext filesystems that were not
// cleanly unmounted or still have a journal to replay, meta_bg, bigalloc, groups
// whose bitmap is not initialised (BLOCK_UNINIT), and any bitmap that comes
// after its data.
import type { Segment } from './segments';

const SECTOR = 512;
/** The unit the answer is given in; also the O_DIRECT alignment. */
export const USED_SPACE_BLOCK = 4096;

const FAT_TYPES = new Set([0x04, 0x06, 0x0b, 0x0c, 0x0e]);
const LINUX_TYPE = 0x83;

interface Region {
  offset: number;
  buffer: Buffer;
  filled: number;
  onComplete: (data: Buffer) => void;
}

interface Filesystem {
  start: number;
  end: number;
  /** True when every byte of [from, to) (absolute image offsets) is known to be free. */
  isFree(from: number, to: number): boolean;
}

export class UsedSpace {
  private readonly regions: Region[] = [];
  private readonly filesystems: Filesystem[] = [];
  private seen = 0;

  constructor() {
    this.want(0, SECTOR, (mbr) => this.readMbr(mbr));
  }

  /** Feeds the image's bytes in order: `data` starts at image offset `offset`. */
  feed(offset: number, data: Buffer): void {
    // A region can ask for another that lies in this same chunk, hence the loop.
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const r of [...this.regions]) {
        const from = Math.max(r.offset + r.filled, offset);
        const to = Math.min(r.offset + r.buffer.length, offset + data.length);
        if (from !== r.offset + r.filled || to <= from) continue;
        data.copy(r.buffer, r.filled, from - offset, to - offset);
        r.filled += to - from;
        if (r.filled === r.buffer.length) {
          this.regions.splice(this.regions.indexOf(r), 1);
          r.onComplete(r.buffer);
          progressed = true;
        }
      }
    }
    this.seen = Math.max(this.seen, offset + data.length);
  }

  /**
   * The parts of [offset, offset + length) that must be written: all of it but
   * the USED_SPACE_BLOCK-aligned blocks known to be free.
   */
  usedSegments(offset: number, length: number): Segment[] {
    const out: Segment[] = [];
    const end = offset + length;
    let pos = offset;
    while (pos < end) {
      const blockEnd = Math.min(end, (Math.floor(pos / USED_SPACE_BLOCK) + 1) * USED_SPACE_BLOCK);
      const free = blockEnd - pos === USED_SPACE_BLOCK && this.isFree(pos, blockEnd);
      if (!free) {
        const last = out.at(-1);
        if (last && last.offset + last.length === pos) last.length += blockEnd - pos;
        else out.push({ offset: pos, length: blockEnd - pos });
      }
      pos = blockEnd;
    }
    return out;
  }

  private isFree(from: number, to: number): boolean {
    const fs = this.filesystems.find((f) => from >= f.start && to <= f.end);
    return fs ? fs.isFree(from, to) : false;
  }

  private want(offset: number, length: number, onComplete: (data: Buffer) => void): void {
    // Already streamed past: it cannot be read any more, so nothing is learnt from it.
    if (offset < this.seen || length <= 0) return;
    this.regions.push({ offset, buffer: Buffer.alloc(length), filled: 0, onComplete });
  }

  private readMbr(mbr: Buffer): void {
    if (mbr.readUInt16LE(510) !== 0xaa55) return;
    for (let i = 0; i < 4; i++) {
      const e = 446 + 16 * i;
      const type = mbr[e + 4]!;
      const start = mbr.readUInt32LE(e + 8) * SECTOR;
      const size = mbr.readUInt32LE(e + 12) * SECTOR;
      if (size === 0 || start === 0) continue;
      if (FAT_TYPES.has(type)) this.want(start, SECTOR, (bpb) => this.readFat(start, start + size, bpb));
      else if (type === LINUX_TYPE) this.want(start + 1024, 1024, (sb) => this.readExt(start, start + size, sb));
    }
  }

  private readFat(start: number, partEnd: number, bpb: Buffer): void {
    const bps = bpb.readUInt16LE(11);
    const spc = bpb[13]!;
    const reserved = bpb.readUInt16LE(14);
    const fats = bpb[16]!;
    const rootEntries = bpb.readUInt16LE(17);
    const totalSectors = bpb.readUInt16LE(19) || bpb.readUInt32LE(32);
    const fatSectors = bpb.readUInt16LE(22) || bpb.readUInt32LE(36);
    if (bpb.readUInt16LE(510) !== 0xaa55 || ![512, 1024, 2048, 4096].includes(bps) || spc === 0 || (spc & (spc - 1)) !== 0 || fats === 0 || fatSectors === 0) return;
    const rootSectors = Math.ceil((rootEntries * 32) / bps);
    const dataStart = start + (reserved + fats * fatSectors + rootSectors) * bps;
    const clusterBytes = spc * bps;
    const clusters = Math.floor((totalSectors - (reserved + fats * fatSectors + rootSectors)) / spc);
    // As Linux and dosfstools decide: FAT32 when the 16-bit FAT size is 0 (mkfs.fat -F 32
    // makes such volumes below 65525 clusters too). A FAT16 header over a FAT32-sized
    // volume is inconsistent, and FAT12 packs entries in 12 bits: those are written whole.
    const fat32 = bpb.readUInt16LE(22) === 0;
    if ((!fat32 && (clusters < 4085 || clusters >= 65525)) || clusters <= 0) return;
    const fsEnd = Math.min(partEnd, start + totalSectors * bps);
    const fatBytes = Math.min(fatSectors * bps, (clusters + 2) * (fat32 ? 4 : 2));
    this.want(start + reserved * bps, fatBytes, (fat) => {
      this.filesystems.push({
        start: dataStart,
        end: Math.min(fsEnd, dataStart + clusters * clusterBytes),
        isFree: (from, to) => {
          const first = Math.floor((from - dataStart) / clusterBytes) + 2;
          const last = Math.floor((to - 1 - dataStart) / clusterBytes) + 2;
          for (let c = first; c <= last; c++) {
            const entry = fat32 ? fat.readUInt32LE(c * 4) & 0x0fffffff : fat.readUInt16LE(c * 2);
            if (entry !== 0) return false;
          }
          return true;
        },
      });
    });
  }

  private readExt(start: number, partEnd: number, sb: Buffer): void {
    if (sb.readUInt16LE(56) !== 0xef53) return;
    const incompat = sb.readUInt32LE(96);
    const roCompat = sb.readUInt32LE(100);
    const state = sb.readUInt16LE(58);
    const IS_64BIT = 0x80;
    // Bitmaps are trusted only where they say it all: a cleanly unmounted
    // filesystem (state VALID, no ERROR) with no journal left to replay (RECOVER:
    // an image of a running card keeps its newest allocations in the journal),
    // one bit per block (not bigalloc, not snapshots), descriptors right after
    // the superblock (not meta_bg), and no incompat feature unknown here.
    const KNOWN_INCOMPAT = 0x2 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000;
    const BIGALLOC_OR_SNAPSHOT = 0x200 | 0x80;
    if ((state & 0x1) === 0 || state & 0x2 || incompat & ~KNOWN_INCOMPAT || roCompat & BIGALLOC_OR_SNAPSHOT) return;
    const logBlock = sb.readUInt32LE(24);
    if (logBlock > 6) return;
    const blockSize = 1024 << logBlock;
    const firstData = sb.readUInt32LE(20);
    const perGroup = sb.readUInt32LE(32);
    const blocks = sb.readUInt32LE(4) + (incompat & IS_64BIT ? sb.readUInt32LE(336) * 2 ** 32 : 0);
    const descSize = incompat & IS_64BIT ? sb.readUInt16LE(254) : 32;
    if (perGroup === 0 || perGroup > blockSize * 8 || descSize < 32 || blocks <= firstData) return;
    const groups = Math.ceil((blocks - firstData) / perGroup);
    const fsEnd = Math.min(partEnd, start + blocks * blockSize);
    const bitmaps = new Map<number, Buffer>();
    const BLOCK_UNINIT = 0x0002;
    this.want(start + (firstData + 1) * blockSize, groups * descSize, (gdt) => {
      for (let g = 0; g < groups; g++) {
        const d = g * descSize;
        if (gdt.readUInt16LE(d + 18) & BLOCK_UNINIT) continue;
        const block = gdt.readUInt32LE(d) + (descSize >= 64 ? gdt.readUInt32LE(d + 32) * 2 ** 32 : 0);
        if (block === 0 || block >= blocks) continue;
        this.want(start + block * blockSize, Math.ceil(perGroup / 8), (bitmap) => bitmaps.set(g, bitmap));
      }
      this.filesystems.push({
        start,
        end: fsEnd,
        isFree: (from, to) => {
          const first = Math.floor((from - start) / blockSize);
          const last = Math.floor((to - 1 - start) / blockSize);
          for (let b = first; b <= last; b++) {
            if (b < firstData) return false;
            const g = Math.floor((b - firstData) / perGroup);
            const bitmap = bitmaps.get(g);
            if (!bitmap) return false;
            const bit = (b - firstData) % perGroup;
            if (bitmap[bit >> 3]! & (1 << (bit & 7))) return false;
          }
          return true;
        },
      });
    });
  }
}
