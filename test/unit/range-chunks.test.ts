// Reading a raw image's ranges with several reads in flight: the chunks still
// come out in image order with the right bytes, a short file is reported as
// truncated, and stopping early hands every buffer back to the pool.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferPool, rangeChunksOf } from '../../electron/services/flash/chunks';

const dir = mkdtempSync(path.join(tmpdir(), 'bramble-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CHUNK = 64 * 1024;
const data = randomBytes(CHUNK * 10 + 1234);
const file = path.join(dir, 'image.img');
writeFileSync(file, data);

async function freeBuffers(pool: BufferPool, count: number): Promise<boolean> {
  const got = await Promise.race([Promise.all(Array.from({ length: count }, () => pool.acquire())), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
  if (got) for (const b of got) pool.release(b);
  return got !== null;
}

describe('rangeChunksOf', () => {
  it('yields the ranges in order, byte for byte, with reads ahead', async () => {
    const pool = await BufferPool.create(CHUNK, 6);
    const ranges = [
      { start: 0, length: CHUNK * 3 + 17 },
      { start: CHUNK * 5, length: CHUNK * 4 },
      { start: CHUNK * 10, length: 1234 },
    ];
    const seen: { offset: number; bytes: Buffer }[] = [];
    for await (const c of rangeChunksOf(file, ranges, pool, 3)) {
      seen.push({ offset: c.offset, bytes: Buffer.from(c.buffer.subarray(0, c.length)) });
      c.release();
    }
    expect(seen.map((s) => s.offset)).toEqual([0, CHUNK, CHUNK * 2, CHUNK * 3, CHUNK * 5, CHUNK * 6, CHUNK * 7, CHUNK * 8, CHUNK * 10]);
    for (const s of seen) expect(s.bytes.equals(data.subarray(s.offset, s.offset + s.bytes.length))).toBe(true);
    expect(seen.reduce((n, s) => n + s.bytes.length, 0)).toBe(ranges.reduce((n, r) => n + r.length, 0));
    expect(await freeBuffers(pool, 6)).toBe(true);
  });

  it('says the image is truncated when a range runs past its end, and gives every buffer back', async () => {
    const pool = await BufferPool.create(CHUNK, 6);
    const chunks = rangeChunksOf(file, [{ start: CHUNK * 8, length: CHUNK * 4 }], pool, 3);
    const offsets: number[] = [];
    await expect(
      (async () => {
        for await (const c of chunks) {
          offsets.push(c.offset);
          c.release();
        }
      })(),
    ).rejects.toThrow(/ended at byte 656594, .*truncated/);
    expect(offsets).toEqual([CHUNK * 8, CHUNK * 9]);
    expect(await freeBuffers(pool, 6)).toBe(true);
  });

  it('stopped early (a cancel), lets the reads ahead finish and returns their buffers', async () => {
    const pool = await BufferPool.create(CHUNK, 4);
    for await (const c of rangeChunksOf(file, [{ start: 0, length: CHUNK * 10 }], pool, 3)) {
      c.release();
      break;
    }
    expect(await freeBuffers(pool, 4)).toBe(true);
  });
});
