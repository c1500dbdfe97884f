// What the user needs to know about an image before writing it: its format,
// its size on disk and once decompressed, and whether a block map sits beside it.
import { spawn } from 'node:child_process';
import { access, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../user-error';
import type { ImageInfo } from '../../../shared/images';
import { detectFormat } from './image-format';
import { findZipImageEntry } from './zip-image';

export type { ImageInfo };

export async function inspectImage(imagePath: string): Promise<ImageInfo> {
  const absolute = path.resolve(imagePath);
  let fileSize: number;
  try {
    const st = await stat(absolute);
    if (!st.isFile()) throw new UserError(`${absolute} is not a file.`);
    fileSize = st.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Bramble cannot read the image ${absolute}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  if (fileSize === 0) throw new UserError(`The image ${path.basename(absolute)} is empty.`);
  const header = await readHeader(absolute);
  const format = detectFormat(header);
  const base: ImageInfo = { path: absolute, name: path.basename(absolute), format, fileSize, sizeIsExact: true, bmapPath: await findBmap(absolute) };
  switch (format) {
    case 'raw':
      return { ...base, size: fileSize };
    case 'xz':
      return { ...base, size: await xzUncompressedSize(absolute) };
    case 'gzip':
      return { ...base, size: await gzipSizeHint(absolute, fileSize), sizeIsExact: false };
    case 'zip': {
      const entry = await findZipImageEntry(absolute);
      return { ...base, size: entry.uncompressedSize };
    }
    case 'bzip2':
      return { ...base, size: undefined, sizeIsExact: false };
  }
}

async function readHeader(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const { bytesRead } = await fh.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function findBmap(imagePath: string): Promise<string | undefined> {
  const stripped = imagePath.replace(/\.(xz|gz|zip|bz2)$/i, '');
  const candidates = [`${stripped}.bmap`, `${imagePath}.bmap`, stripped.replace(/\.img$/i, '.bmap')];
  for (const candidate of new Set(candidates)) {
    if (candidate === imagePath) continue;
    try {
      await access(candidate);
      return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** `xz --robot --list` reads the index at the end of the file: exact, and fast. */
function xzUncompressedSize(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('xz', ['--robot', '--list', '--', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (error) => reject(new UserError(`Bramble needs the xz program to read .xz images (${error.message}).`)));
    child.on('close', (code) => {
      const totals = out.split('\n').find((l) => l.startsWith('totals\t'));
      const size = totals ? Number(totals.split('\t')[4]) : NaN;
      if (code !== 0 || !Number.isSafeInteger(size)) {
        reject(new UserError(`The .xz image ${path.basename(file)} is damaged or truncated (${err.trim().replace(/^xz: /, '') || 'no index'}).`));
      } else resolve(size);
    });
  });
}

/** gzip's trailer keeps the size modulo 4 GiB: a hint, corrected while writing. */
async function gzipSizeHint(file: string, fileSize: number): Promise<number> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, fileSize - 4);
    return buf.readUInt32LE(0);
  } finally {
    await fh.close();
  }
}
