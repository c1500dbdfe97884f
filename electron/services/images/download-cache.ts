// Downloads catalogue images into the app's cache, resuming a partial file with
// an HTTP Range request, and keeps a file only when its SHA-256 matches the
// published one. A file already in the cache with the right hash is reused.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../user-error';

export interface DownloadProgress {
  url: string;
  bytes: number;
  total?: number;
}

export interface DownloadOptions {
  url: string;
  /** Published SHA-256 of the file as downloaded; when known, the cache file is named after it. */
  sha256?: string;
  size?: number;
  cacheDir: string;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
}

export async function download(options: DownloadOptions): Promise<string> {
  const name = path.basename(new URL(options.url).pathname) || 'download';
  await mkdir(options.cacheDir, { recursive: true, mode: 0o700 });
  const key = options.sha256 ?? createHash('sha256').update(options.url).digest('hex');
  const final = path.join(options.cacheDir, `${key.slice(0, 16)}-${name}`);
  const part = `${final}.part`;

  if (options.sha256 && (await exists(final))) {
    if ((await hashFile(final)) === options.sha256) return final;
    await rm(final, { force: true });
  }

  const hash = createHash('sha256');
  let offset = (await exists(part)) ? (await stat(part)).size : 0;
  if (offset > 0) await hashInto(part, hash);

  let response: Response;
  try {
    response = await fetch(options.url, { signal: options.signal, headers: offset > 0 ? { Range: `bytes=${offset}-` } : {} });
  } catch (error) {
    if (options.signal?.aborted) throw new UserError('The download was cancelled.');
    throw new UserError(`Bramble could not download ${name} (${(error as Error).message}); the partial file is kept and the download resumes next time.`);
  }
  if (offset > 0 && response.status === 200) {
    // The server ignored the Range request: start over.
    offset = 0;
    hash.destroy();
    return restart();
  }
  if (response.status === 416 && options.size !== undefined && offset === options.size) {
    // Already complete; fall through to the checksum.
  } else if (!response.ok || !response.body) {
    throw new UserError(`Downloading ${name} failed: the server answered HTTP ${response.status}.`);
  } else {
    const length = Number(response.headers.get('content-length') ?? NaN);
    const total = Number.isFinite(length) ? offset + length : options.size;
    let bytes = offset;
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.({ url: options.url, bytes, total });
    });
    try {
      await pipeline(body, createWriteStream(part, { flags: offset > 0 ? 'a' : 'w', mode: 0o600 }), { signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw new UserError('The download was cancelled; the partial file is kept and the download resumes next time.');
      throw new UserError(`The download of ${name} broke off after ${bytes} bytes (${(error as Error).message}); it resumes from there next time.`);
    }
  }

  const digest = hash.digest('hex');
  if (options.sha256 && digest !== options.sha256) {
    await rm(part, { force: true });
    throw new UserError(`The download of ${name} does not match its published SHA-256 (got ${digest.slice(0, 12)}…, expected ${options.sha256.slice(0, 12)}…); it was deleted. Try again, or choose another image.`);
  }
  await rename(part, final);
  return final;

  async function restart(): Promise<string> {
    await rm(part, { force: true });
    return download(options);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function hashInto(file: string, hash: ReturnType<typeof createHash>): Promise<void> {
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashInto(file, hash);
  return hash.digest('hex');
}
