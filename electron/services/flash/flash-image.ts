// Writes one image to several targets at once and verifies each by reading it
// back. One pass over the decompressed image feeds every card; a card that
// fails (pulled, I/O error) drops out alone; cancel stops everything promptly.
// Nothing is reported as written unless every byte read back matches.
import { createHash, type Hash } from 'node:crypto';
import { requireNative } from '../native';

const { XXHash3 } = requireNative('xxhash-addon') as typeof import('xxhash-addon');
import type { TargetProgress } from '../../../shared/contract';
import type { Bmap } from '../images/bmap';
import { openDecompressed, type DecompressedStream } from '../images/decompress';
import type { ImageInfo } from '../images/inspect-image';
import { UserError } from '../user-error';
import { inOrderAhead } from './in-order-ahead';
import { BufferPool, chunksOf, isAllZero, rangeChunksOf, xzBlockChunksOf, type Chunk } from './chunks';
import { blocksFor, readXzLayout } from '../images/xz-blocks';
import { BmapChecksums, SegmentPlanner, type Segment } from './segments';
import { UsedSpace } from './used-space';
import { ALIGNMENT, openTarget as defaultOpenTarget, type FlashTarget } from './targets';
import { ProgressMeter } from './progress-meter';

export const CHUNK_SIZE = 4 << 20;
const POOL_SIZE = 8;

export type FlashPhase = TargetProgress['phase'];
export type { TargetProgress };


export interface FlashOptions {
  image: ImageInfo;
  targets: string[];
  bmap?: Bmap;
  /** SHA-256 of the whole decompressed image (a catalogue's extract_sha256): the partition table is written only once it matches. */
  expectedSha256?: string;
  signal?: AbortSignal;
  onProgress?: (progress: TargetProgress[]) => void;
  progressIntervalMs?: number;
  /** The edge tests may replace; real by default. */
  openTarget?: (path: string) => Promise<FlashTarget>;
}

export interface TargetResult {
  target: string;
  ok: boolean;
  phase: FlashPhase;
  bytesWritten: number;
  error?: string;
}

export interface FlashResult {
  ok: boolean;
  cancelled: boolean;
  imageBytes: number;
  writtenBytes: number;
  targets: TargetResult[];
  seconds: number;
}

interface WrittenSegment extends Segment {
  hash: bigint;
}

class TargetState {
  target: FlashTarget | undefined;
  phase: FlashPhase = 'starting';
  error: string | undefined;
  bytesWritten = 0;
  bytesVerified = 0;
  readonly meter = new ProgressMeter();
  constructor(readonly path: string) {}
  get live(): boolean {
    return this.phase === 'starting' || this.phase === 'writing' || this.phase === 'verifying';
  }
  fail(error: unknown): void {
    if (!this.live) return;
    this.phase = 'failed';
    this.error = error instanceof UserError ? error.message : `Writing ${this.path} failed: ${(error as Error)?.message ?? String(error)}`;
  }
}

export async function flashImage(options: FlashOptions): Promise<FlashResult> {
  const started = Date.now();
  const open = options.openTarget ?? defaultOpenTarget;
  const states = options.targets.map((t) => new TargetState(t));
  const planned = options.bmap?.mappedBytes ?? options.image.size ?? 0;
  const written: WrittenSegment[] = [];
  const sha = options.expectedSha256 ? createHash('sha256') : undefined;
  let imageBytes = 0;
  let heldBack: { chunk: Buffer; length: number; segments: Segment[] } | undefined;
  let source: DecompressedStream | undefined;
  let cancelled = false;

  // Image bytes left out as free space: they count towards progress, not towards bytes written.
  let skippedBytes = 0;
  const report = () => options.onProgress?.(states.map((s) => progressOf(s, planned, written, skippedBytes)));
  const timer = options.onProgress ? setInterval(report, options.progressIntervalMs ?? 250) : undefined;
  const abortDecoders = new AbortController();
  const onAbort = () => {
    cancelled = true;
    abortDecoders.abort();
    source?.close();
    for (const s of states) if (s.live) s.phase = 'cancelled';
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    if (options.bmap && options.image.size !== undefined && options.bmap.imageSize !== options.image.size) {
      throw new UserError(`The block map is for a ${options.bmap.imageSize}-byte image but ${options.image.name} is ${options.image.size} bytes; they do not belong together.`);
    }
    await Promise.all(
      states.map(async (s) => {
        try {
          s.target = await open(s.path);
          if (cancelled) return;
          s.phase = 'writing';
          s.meter.reset();
        } catch (error) {
          s.fail(error);
        }
      }),
    );
    if (cancelled) return finish();
    if (!states.some((s) => s.live)) return finish();

    const pool = await BufferPool.create(CHUNK_SIZE, POOL_SIZE);
    // A raw image is read at its offsets, several reads in flight; with a block
    // map (and no whole-image hash to take), range by range, its holes never read.
    const rawRanges =
      options.image.format !== 'raw' || options.image.size === undefined ? undefined : options.bmap && !sha ? options.bmap.ranges : [{ start: 0, length: options.image.size }];
    const ranged = rawRanges !== undefined;
    // A multi-block .xz with a block map: only the blocks holding mapped data are decoded.
    const xzLayout = options.image.format === 'xz' && options.bmap && !sha ? await readXzLayout(options.image.path) : undefined;
    const xzBlocks = xzLayout && blocksFor(xzLayout, options.bmap!.ranges).every((b) => b.uncompressedOffset % ALIGNMENT === 0) ? blocksFor(xzLayout, options.bmap!.ranges) : undefined;
    if (!ranged && !xzBlocks) source = await openDecompressed(options.image.path, options.image.format);
    const chunks = ranged
      ? rangeChunksOf(options.image.path, rawRanges, pool)
      : xzBlocks
        ? xzBlockChunksOf(options.image.path, xzLayout!, xzBlocks, pool, abortDecoders.signal)
        : chunksOf(source!.stream, pool);
    const planner = new SegmentPlanner(options.bmap?.ranges);
    // Without a block map, cards get only the blocks their filesystems use; an
    // image file is written whole (it is a copy, and its zeros become holes anyway).
    const usedSpace = !options.bmap && states.every((s) => !s.live || s.target?.kind === 'device') ? new UsedSpace() : undefined;
    const bmapSums = options.bmap ? new BmapChecksums(options.bmap) : undefined;
    const inFlight = new Set<Promise<void>>();

    try {
      for await (const chunk of chunks) {
        if (cancelled) {
          chunk.release();
          break;
        }
        imageBytes = chunk.offset + chunk.length;
        const data = chunk.buffer.subarray(0, chunk.length);
        sha?.update(data);
        bmapSums?.feed(chunk.offset, data);
        usedSpace?.feed(chunk.offset, data);
        const wanted = usedSpace ? usedSpace.usedSegments(chunk.offset, chunk.length) : planner.segments(chunk.offset, chunk.length);
        if (usedSpace) skippedBytes += chunk.length - wanted.reduce((n, seg) => n + seg.length, 0);
        const segments = wanted.filter((seg) => !(isAllZero(slice(chunk, seg), seg.length) && skipZeros(states)));
        for (const seg of segments) written.push({ ...seg, hash: XXHash3.hash(slice(chunk, seg)).readBigUInt64BE() });
        if (chunk.offset === 0 && sha) {
          // The partition table waits until the whole image is proven right.
          heldBack = { chunk: Buffer.from(data), length: chunk.length, segments };
          chunk.release();
          continue;
        }
        const job = writeChunk(states, chunk, segments).finally(() => {
          chunk.release();
          inFlight.delete(job);
        });
        inFlight.add(job);
        if (!states.some((s) => s.live)) break;
      }
      await Promise.all(inFlight);
      if (cancelled) return finish();
      if (ranged || xzBlocks) imageBytes = options.image.size ?? imageBytes;
      bmapSums?.finish();
      if (options.image.size !== undefined && options.image.sizeIsExact && imageBytes < options.image.size) {
        throw new UserError(`The image ended after ${imageBytes} of its ${options.image.size} bytes; it is truncated.`);
      }
      if (sha) {
        const digest = sha.digest('hex');
        if (digest !== options.expectedSha256!.toLowerCase()) {
          throw new UserError(`The image's content does not match the expected SHA-256 (got ${digest.slice(0, 12)}…, expected ${options.expectedSha256!.slice(0, 12)}…); the cards were left without a partition table so they will not boot a bad image.`);
        }
        if (heldBack) {
          const hb = heldBack;
          const pseudo: Chunk = { offset: 0, buffer: hb.chunk, length: hb.length, release() {} };
          await writeChunk(states, pseudo, hb.segments, true);
        }
      }
    } finally {
      await Promise.allSettled(inFlight);
    }

    await Promise.all(
      states.filter((s) => s.live).map(async (s) => {
        try {
          await s.target!.setLength(imageBytes);
          await s.target!.sync();
        } catch (error) {
          s.fail(error);
        }
      }),
    );
    if (cancelled) return finish();

    for (const s of states) if (s.live) { s.phase = 'verifying'; s.meter.reset(); }
    await Promise.all(states.filter((s) => s.live).map((s) => verifyTarget(s, written, () => cancelled)));
    for (const s of states) if (s.phase === 'verifying') s.phase = 'done';
    return finish();
  } catch (error) {
    if (!cancelled) for (const s of states) s.fail(error);
    return finish();
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (timer) clearInterval(timer);
    source?.close();
    await Promise.all(states.map((s) => s.target?.close()));
    report();
  }

  function finish(): FlashResult {
    if (cancelled) for (const s of states) if (s.live) s.phase = 'cancelled';
    const results = states.map((s) => ({ target: s.path, ok: s.phase === 'done', phase: s.phase, bytesWritten: s.bytesWritten, error: s.error }));
    return {
      ok: !cancelled && results.length > 0 && results.every((r) => r.ok),
      cancelled,
      imageBytes,
      writtenBytes: written.reduce((n, w) => n + w.length, 0),
      targets: results,
      seconds: (Date.now() - started) / 1000,
    };
  }
}

function slice(chunk: Chunk, seg: Segment): Buffer {
  const start = seg.offset - chunk.offset;
  return chunk.buffer.subarray(start, start + seg.length);
}

/**
 * Zero chunks can be left out only where reading them back gives zeros anyway:
 * a fresh image file (holes). Cards keep whatever they held before, so zeros
 * are written there unless a block map says the range is unused.
 */
function skipZeros(states: TargetState[]): boolean {
  return states.every((s) => !s.live || s.target?.kind === 'file');
}

async function writeChunk(states: TargetState[], chunk: Chunk, segments: Segment[], force = false): Promise<void> {
  await Promise.all(
    states.map(async (s) => {
      for (const seg of segments) {
        if (!s.live || (!force && s.phase !== 'writing')) return;
        try {
          const padded = s.target!.direct ? alignUp(seg.length) : seg.length;
          if (padded > seg.length) slice(chunk, { offset: seg.offset, length: padded }).fill(0, seg.length);
          await s.target!.write(slice(chunk, { offset: seg.offset, length: padded }), padded, seg.offset);
          s.bytesWritten += seg.length;
          s.meter.add(seg.length);
        } catch (error) {
          s.fail(error);
        }
      }
    }),
  );
}

const VERIFY_AHEAD = 3;

async function verifyTarget(s: TargetState, segments: WrittenSegment[], isCancelled: () => boolean): Promise<void> {
  const pool = await BufferPool.create(CHUNK_SIZE, VERIFY_AHEAD);
  const wanted = function* () {
    for (const seg of segments) {
      if (!s.live || isCancelled()) return;
      yield seg;
    }
  };
  const read = async (seg: WrittenSegment) => {
    const buffer = await pool.acquire();
    try {
      // Segments never exceed a chunk, so one buffer holds any of them.
      return { seg, buffer, got: await s.target!.read(buffer, s.target!.direct ? alignUp(seg.length) : seg.length, seg.offset) };
    } catch (error) {
      pool.release(buffer);
      throw error;
    }
  };
  try {
    // Several reads in flight, checked in order: a card answers faster with a queue than one request at a time.
    for await (const { seg, buffer, got } of inOrderAhead(wanted(), VERIFY_AHEAD, read, (r) => pool.release(r.buffer))) {
      try {
        if (got < seg.length) throw new UserError(`${s.path} returned only ${got} of ${seg.length} bytes at offset ${seg.offset} while verifying; it may have been removed.`);
        if (XXHash3.hash(buffer.subarray(0, seg.length)).readBigUInt64BE() !== seg.hash) {
          throw new UserError(`Verification failed on ${s.path}: the bytes read back at offset ${seg.offset} differ from the image; the card may have been removed, or be faulty or counterfeit.`);
        }
      } finally {
        pool.release(buffer);
      }
      s.bytesVerified += seg.length;
      s.meter.add(seg.length);
    }
  } catch (error) {
    s.fail(error);
  }
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

function progressOf(s: TargetState, planned: number, written: WrittenSegment[], skipped: number): TargetProgress {
  const verifying = s.phase === 'verifying';
  const total = verifying ? written.reduce((n, w) => n + w.length, 0) : planned;
  const bytes = verifying ? s.bytesVerified : Math.min(total, s.bytesWritten + skipped);
  const speed = s.meter.speed();
  return {
    target: s.path,
    phase: s.phase,
    bytes,
    total,
    speed,
    eta: speed > 0 && total > bytes ? (total - bytes) / speed : undefined,
    error: s.error,
  };
}
