// Opens an image as a stream of its decompressed bytes. xz and bzip2 go through
// the system's own decoders when present (xz decodes multi-block files on every
// core and is several times faster than the JavaScript/N-API decoders measured
// here); gzip through zlib; zip through yauzl. Every failure of the compressed
// data becomes one plain sentence naming the image.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { PassThrough, type Readable } from 'node:stream';
import { UserError } from '../user-error';
import type { ImageFormat } from './image-format';
import { openZipImageStream } from './zip-image';

export interface DecompressedStream {
  stream: Readable;
  /** Stops reading and kills any decoder process. */
  close(): void;
}

const READ_CHUNK = 4 << 20;

export async function openDecompressed(file: string, format: ImageFormat): Promise<DecompressedStream> {
  const name = path.basename(file);
  switch (format) {
    case 'raw': {
      const stream = createReadStream(file, { highWaterMark: READ_CHUNK });
      return { stream, close: () => stream.destroy() };
    }
    case 'gzip': {
      const source = createReadStream(file, { highWaterMark: READ_CHUNK });
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      source.on('error', (e) => gunzip.destroy(e));
      source.pipe(gunzip);
      wrapErrors(gunzip, (e) => `The .gz image ${name} is damaged or truncated (${e.message}).`);
      return { stream: gunzip, close: () => { source.destroy(); gunzip.destroy(); } };
    }
    case 'zip': {
      const { stream, close } = await openZipImageStream(file);
      return { stream, close: () => { stream.destroy(); close(); } };
    }
    case 'xz':
      return spawnDecoder('xz', ['-dc', '-T0', '--', file], `.xz image ${name}`);
    case 'bzip2':
      return spawnDecoder('bzip2', ['-dc', '--', file], `.bz2 image ${name}`);
  }
}

function wrapErrors(stream: Readable, message: (e: Error) => string): void {
  const original = stream.destroy.bind(stream);
  stream.destroy = (error?: Error) => original(error && !(error instanceof UserError) ? new UserError(message(error), { cause: error }) : error);
  stream.on('error', () => {});
}

/**
 * Runs a decoder and exposes its stdout. A non-zero exit becomes a stream
 * error *before* the stream ends, so a truncated file is never taken as a
 * short but complete image.
 */
function spawnDecoder(program: string, args: string[], what: string): DecompressedStream {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let closedByUs = false;
  child.stderr.on('data', (d) => (stderr += d));
  const out = child.stdout;
  // Hold back 'end' until we know the exit status.
  const stream = new PassThrough({ highWaterMark: READ_CHUNK });
  out.pipe(stream, { end: false });
  let outEnded = false;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const settle = () => {
    if (!outEnded || !exit) return;
    if (exit.code === 0) stream.end();
    else if (!closedByUs) {
      const detail = stderr.trim().split('\n').pop()?.replace(new RegExp(`^${program}: [^:]*: `), '') || `exit ${exit.code ?? exit.signal}`;
      stream.destroy(new UserError(`The ${what} is damaged or truncated (${detail}).`));
    }
  };
  out.on('end', () => {
    outEnded = true;
    settle();
  });
  child.on('close', (code, signal) => {
    exit = { code, signal };
    outEnded = true;
    settle();
  });
  child.on('error', (error) => {
    stream.destroy(new UserError(`Bramble needs the ${program} program to read this image (${error.message}).`));
  });
  return {
    stream,
    close() {
      closedByUs = true;
      child.kill('SIGKILL');
      stream.destroy();
    },
  };
}
