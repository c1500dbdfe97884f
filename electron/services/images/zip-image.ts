// The disk image inside a .zip: the one .img entry (or the largest entry when
// none is named .img), read with yauzl, its CRC-32 checked as it streams.
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { UserError } from '../user-error';

export interface ZipImageEntry {
  fileName: string;
  uncompressedSize: number;
  compressedSize: number;
  crc32: number;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip) reject(new UserError(`The .zip image ${path.basename(file)} is damaged or truncated (${error?.message ?? 'unreadable'}).`));
      else resolve(zip);
    });
  });
}

async function entriesOf(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return entries;
}

function pick(entries: yauzl.Entry[], file: string): yauzl.Entry {
  const files = entries.filter((e) => !e.fileName.endsWith('/'));
  const images = files.filter((e) => /\.(img|iso|raw|bin)$/i.test(e.fileName));
  const candidates = images.length ? images : files;
  const chosen = candidates.sort((a, b) => b.uncompressedSize - a.uncompressedSize)[0];
  if (!chosen) throw new UserError(`The .zip ${path.basename(file)} contains no disk image.`);
  return chosen;
}

export async function findZipImageEntry(file: string): Promise<ZipImageEntry> {
  const zip = await openZip(file);
  try {
    const entry = pick(await entriesOf(zip), file);
    return { fileName: entry.fileName, uncompressedSize: entry.uncompressedSize, compressedSize: entry.compressedSize, crc32: entry.crc32 };
  } finally {
    zip.close();
  }
}

/** The image entry's bytes; the stream errors if they do not match the entry's CRC-32 or size. */
export async function openZipImageStream(file: string): Promise<{ stream: Readable; close: () => void }> {
  const zip = await openZip(file);
  const entry = pick(await entriesOf(zip), file);
  const raw = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => (error || !stream ? reject(error) : resolve(stream))),
  );
  let crc = 0;
  const name = path.basename(file);
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      done(crc >>> 0 === entry.crc32 >>> 0 ? null : new UserError(`The .zip image ${name} is corrupt: its data does not match the CRC stored in the archive.`));
    },
  });
  raw.on('error', (error) => check.destroy(new UserError(`The .zip image ${name} is damaged or truncated (${error.message}).`)));
  raw.pipe(check);
  return { stream: check, close: () => zip.close() };
}
