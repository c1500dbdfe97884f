// Reads bmaptool's block map files (format 1.x and 2.x): which block ranges of
// an image hold data and, per range, the checksum of those bytes. With a bmap,
// only mapped ranges are written, and each is checked against its checksum.
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { UserError } from '../user-error';

export interface BmapRange {
  /** Byte offset in the image. */
  start: number;
  /** Byte length (the last range may end at ImageSize, not a block boundary). */
  length: number;
  checksum?: string;
}

export interface Bmap {
  imageSize: number;
  blockSize: number;
  mappedBytes: number;
  checksumType?: 'sha256' | 'sha1';
  ranges: BmapRange[];
}

export function parseBmap(xml: string, name = 'the bmap file'): Bmap {
  let doc: any;
  try {
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, trimValues: true }).parse(xml);
  } catch (error) {
    throw new UserError(`${name} is not valid XML: ${(error as Error).message}`);
  }
  const root = doc?.bmap;
  if (!root) throw new UserError(`${name} is not a bmap file (no <bmap> element).`);
  const version = String(root['@version'] ?? '');
  if (!/^[12]\./.test(version)) throw new UserError(`${name} has bmap format version ${version || '(none)'}, which Bramble does not read.`);
  const imageSize = int(root.ImageSize, 'ImageSize', name);
  const blockSize = int(root.BlockSize, 'BlockSize', name);
  const type = String(root.ChecksumType ?? (version.startsWith('1.') ? 'sha1' : '')).trim();
  const checksumType = type === 'sha256' || type === 'sha1' ? type : undefined;

  const declared = String(root.BmapFileChecksum ?? '').trim();
  if (declared && checksumType) {
    // The file's own checksum is computed with that field set to all zeros.
    const zeroed = xml.replace(declared, '0'.repeat(declared.length));
    const actual = createHash(checksumType).update(zeroed).digest('hex');
    if (actual !== declared) throw new UserError(`${name} is corrupt: its own checksum does not match.`);
  }

  const rawRanges = root.BlockMap?.Range;
  const list: unknown[] = rawRanges === undefined ? [] : Array.isArray(rawRanges) ? rawRanges : [rawRanges];
  const ranges: BmapRange[] = list.map((r) => {
    const text = typeof r === 'object' && r !== null ? String((r as Record<string, unknown>)['#text'] ?? '') : String(r);
    const checksum = typeof r === 'object' && r !== null ? (r as Record<string, unknown>)['@chksum'] : undefined;
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(text);
    if (!m) throw new UserError(`${name} has a block range Bramble cannot read: "${text.slice(0, 40)}".`);
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    const start = first * blockSize;
    const end = Math.min((last + 1) * blockSize, imageSize);
    if (last < first || start >= imageSize) throw new UserError(`${name} lists blocks ${first}-${last}, outside the ${imageSize}-byte image.`);
    return { start, length: end - start, checksum: typeof checksum === 'string' ? checksum.trim() : undefined };
  });
  ranges.sort((a, b) => a.start - b.start);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.start < ranges[i - 1]!.start + ranges[i - 1]!.length) throw new UserError(`${name} has overlapping block ranges.`);
  }
  return { imageSize, blockSize, checksumType, ranges, mappedBytes: ranges.reduce((n, r) => n + r.length, 0) };
}

function int(value: unknown, field: string, name: string): number {
  const n = Number(String(value ?? '').trim());
  if (!Number.isSafeInteger(n) || n <= 0) throw new UserError(`${name} has no valid <${field}>.`);
  return n;
}
