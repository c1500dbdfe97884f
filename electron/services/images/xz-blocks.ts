// Decodes only the blocks of a multi-block .xz image that a block map needs,
// two at a time. Images compressed with `xz -T` (as Raspberry Pi's are) are
// split into independent blocks; with a bmap most blocks hold only unused
// space, so they are neither decompressed nor piped. Each needed block is
// wrapped into a one-block .xz stream and decoded by the system's xz, which
// also checks the block's own CRC.
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { UserError } from '../user-error';

export interface XzBlock {
  compressedOffset: number;
  totalSize: number;
  unpaddedSize: number;
  uncompressedOffset: number;
  uncompressedSize: number;
}

export interface XzLayout {
  header: Buffer;
  blocks: XzBlock[];
}

const CHECK_SIZE: Record<string, number> = { None: 0, CRC32: 4, CRC64: 8, 'SHA-256': 32 };

/** The block table of a single-stream .xz file, or undefined when it is not one xz can split. */
export async function readXzLayout(file: string): Promise<XzLayout | undefined> {
  const out = await run('xz', ['--robot', '--list', '-vv', '--', file]);
  const lines = out.split('\n').map((l) => l.split('\t'));
  if (lines.filter((l) => l[0] === 'stream').length !== 1) return undefined;
  const blocks: XzBlock[] = [];
  for (const f of lines.filter((l) => l[0] === 'block')) {
    const check = CHECK_SIZE[f[9] ?? ''];
    if (check === undefined) return undefined;
    const [compressedOffset, uncompressedOffset, totalSize, uncompressedSize, headerSize, compressedSize] = [f[4], f[5], f[6], f[7], f[11], f[13]].map(Number);
    if (![compressedOffset, uncompressedOffset, totalSize, uncompressedSize, headerSize, compressedSize].every(Number.isSafeInteger)) return undefined;
    blocks.push({ compressedOffset: compressedOffset!, uncompressedOffset: uncompressedOffset!, totalSize: totalSize!, uncompressedSize: uncompressedSize!, unpaddedSize: headerSize! + compressedSize! + check });
  }
  if (blocks.length < 2) return undefined;
  const fh = await open(file, 'r');
  try {
    const header = Buffer.alloc(12);
    await fh.read(header, 0, 12, 0);
    return { header, blocks };
  } finally {
    await fh.close();
  }
}

/** The blocks that overlap any of the byte ranges (both sorted). */
export function blocksFor(layout: XzLayout, ranges: { start: number; length: number }[]): XzBlock[] {
  let r = 0;
  return layout.blocks.filter((b) => {
    const end = b.uncompressedOffset + b.uncompressedSize;
    while (r < ranges.length && ranges[r]!.start + ranges[r]!.length <= b.uncompressedOffset) r++;
    return r < ranges.length && ranges[r]!.start < end;
  });
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** A complete .xz stream holding one block: stream header, the block, an index, a footer. */
export function oneBlockStream(header: Buffer, block: Buffer, unpaddedSize: number, uncompressedSize: number): Buffer {
  const index = [0x00, ...varint(1), ...varint(unpaddedSize), ...varint(uncompressedSize)];
  while (index.length % 4) index.push(0);
  const indexBytes = Buffer.from(index);
  const indexField = Buffer.concat([indexBytes, u32(crc32(indexBytes))]);
  const flags = header.subarray(6, 8);
  const backward = u32(indexField.length / 4 - 1);
  const footerBody = Buffer.concat([backward, flags]);
  const footer = Buffer.concat([u32(crc32(footerBody)), footerBody, Buffer.from('YZ')]);
  return Buffer.concat([header, block, indexField, footer]);
}

export async function decodeBlock(file: string, layout: XzLayout, block: XzBlock, signal?: AbortSignal): Promise<Buffer> {
  const fh = await open(file, 'r');
  const raw = Buffer.alloc(block.totalSize);
  try {
    const { bytesRead } = await fh.read(raw, 0, block.totalSize, block.compressedOffset);
    if (bytesRead < block.totalSize) throw new UserError(`The .xz image ${path.basename(file)} is truncated inside block at byte ${block.compressedOffset}.`);
  } finally {
    await fh.close();
  }
  const stream = oneBlockStream(layout.header, raw, block.unpaddedSize, block.uncompressedSize);
  const out = await run('xz', ['-dc'], stream, signal);
  const data = Buffer.isBuffer(out) ? out : Buffer.from(out);
  if (data.length !== block.uncompressedSize) throw new UserError(`The .xz image ${path.basename(file)} is damaged: a block decoded to ${data.length} bytes instead of ${block.uncompressedSize}.`);
  return data;
}

function run(program: string, args: string[]): Promise<string>;
function run(program: string, args: string[], input: Buffer, signal?: AbortSignal): Promise<Buffer>;
function run(program: string, args: string[], input?: Buffer, signal?: AbortSignal): Promise<string | Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], signal });
    if (!child.stdout || !child.stderr) throw new Error('spawn gave no pipes');
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(signal?.aborted ? new UserError('Cancelled.') : new UserError(`Bramble needs the ${program} program to read .xz images (${e.message}).`)));
    child.on('close', (code) => {
      if (code !== 0) reject(new UserError(`The .xz image is damaged (${err.trim().replace(/^xz: /, '') || `xz exited with ${code}`}).`));
      else resolve(input ? Buffer.concat(chunks) : Buffer.concat(chunks).toString('utf8'));
    });
    if (input) {
      child.stdin!.on('error', () => {});
      child.stdin!.end(input);
    }
  });
}
