// Which bytes of each chunk go to the card. With a block map, only its mapped
// ranges; without one, the whole chunk. Also checks each bmap range's checksum
// as its bytes stream past, so a corrupt source is caught before it is trusted.
import { createHash, type Hash } from 'node:crypto';
import type { Bmap, BmapRange } from '../images/bmap';
import { UserError } from '../user-error';

export interface Segment {
  offset: number;
  length: number;
}

/** Walks the sorted bmap ranges alongside the chunks (both move forward only). */
export class SegmentPlanner {
  private index = 0;
  constructor(private readonly ranges: BmapRange[] | undefined) {}

  segments(chunkOffset: number, chunkLength: number): Segment[] {
    const end = chunkOffset + chunkLength;
    if (!this.ranges) return [{ offset: chunkOffset, length: chunkLength }];
    const out: Segment[] = [];
    while (this.index < this.ranges.length && rangeEnd(this.ranges[this.index]!) <= chunkOffset) this.index++;
    for (let i = this.index; i < this.ranges.length; i++) {
      const r = this.ranges[i]!;
      if (r.start >= end) break;
      const s = Math.max(r.start, chunkOffset);
      const e = Math.min(rangeEnd(r), end);
      if (e > s) out.push({ offset: s, length: e - s });
    }
    return out;
  }
}

const rangeEnd = (r: BmapRange) => r.start + r.length;

export class BmapChecksums {
  private index = 0;
  private hash: Hash | undefined;
  private readonly ranges: BmapRange[];

  constructor(private readonly bmap: Bmap) {
    this.ranges = bmap.ranges.filter((r) => r.checksum);
  }

  get active(): boolean {
    return !!this.bmap.checksumType && this.ranges.length > 0;
  }

  /** Feeds the bytes at image offset `offset`; throws when a completed range does not match. */
  feed(offset: number, data: Buffer): void {
    if (!this.active) return;
    const end = offset + data.length;
    while (this.index < this.ranges.length) {
      const r = this.ranges[this.index]!;
      const rEnd = rangeEnd(r);
      if (r.start >= end) return;
      const s = Math.max(r.start, offset);
      const e = Math.min(rEnd, end);
      if (e > s) {
        this.hash ??= createHash(this.bmap.checksumType!);
        this.hash.update(data.subarray(s - offset, e - offset));
      }
      if (rEnd > end) return;
      const digest = this.hash?.digest('hex');
      this.hash = undefined;
      if (digest !== r.checksum) {
        throw new UserError(`The image does not match its block map: bytes ${r.start}-${rEnd - 1} have a different checksum, so the image or its .bmap file is corrupt.`);
      }
      this.index++;
    }
  }

  /** Throws if the image ended before every range was seen. */
  finish(): void {
    if (this.active && this.index < this.ranges.length) {
      throw new UserError(`The image ended at a point its block map says holds data (byte ${this.ranges[this.index]!.start}); the image is truncated.`);
    }
  }
}
