// Verification is what stands between a user and a card that only looks
// written. The edge that cannot exist here is a counterfeit card (one that
// claims more room than its flash has and wraps writes past its real size
// back onto its start), so it is simulated by a target wrapper around a real
// image file: every position is taken modulo the real capacity, as such a card
// does. Everything else is the real pipeline: the fixture image, its block
// map, real writes, the read-back after every write has landed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBmap, type Bmap } from '../../electron/services/images/bmap';
import { inspectImage, type ImageInfo } from '../../electron/services/images/inspect-image';
import { flashImage } from '../../electron/services/flash/flash-image';
import { openTarget, type FlashTarget } from '../../electron/services/flash/targets';
import { ensureFixture } from '../fixtures/build-image';

let dir: string;
let image: ImageInfo;
let bmap: Bmap;

beforeAll(async () => {
  const fx = await ensureFixture({ generation: 'bookworm', sizeMiB: 256 });
  image = await inspectImage(fx.img);
  bmap = parseBmap(await readFile(fx.bmap, 'utf8'), path.basename(fx.bmap));
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-verify-'));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A card whose flash holds `capacity` bytes whatever it claims: positions wrap. */
function counterfeit(real: FlashTarget, capacity: number): FlashTarget {
  return {
    path: real.path,
    kind: real.kind,
    direct: real.direct,
    open: () => real.open(),
    write: (buffer, length, position) => real.write(buffer, length, position % capacity),
    read: (buffer, length, position) => real.read(buffer, length, position % capacity),
    setLength: () => Promise.resolve(),
    sync: () => real.sync(),
    close: () => real.close(),
  };
}

describe('verification', () => {
  it('fails a counterfeit card that wraps writes past its real size, naming the offset and the likely cause', async () => {
    const lastMapped = bmap.ranges.at(-1)!;
    // Real capacity below the image's last mapped byte, so the last writes land on earlier ones.
    const capacity = 128 << 20;
    expect(lastMapped.start + lastMapped.length).toBeGreaterThan(capacity);
    const result = await flashImage({ image, bmap, targets: [path.join(dir, 'fake.img')], openTarget: async (p) => counterfeit(await openTarget(p), capacity) });
    expect(result.ok).toBe(false);
    expect(result.targets[0]).toMatchObject({ ok: false, phase: 'failed' });
    expect(result.targets[0]!.error).toMatch(/^Verification failed on .*fake\.img: the bytes read back at offset \d+ differ from the image; .*counterfeit/);
  });

  it('passes the same card when the image fits in its real size: the wrapper itself is not what fails', async () => {
    const result = await flashImage({ image, bmap, targets: [path.join(dir, 'honest.img')], openTarget: async (p) => counterfeit(await openTarget(p), 1 << 30) });
    expect(result.targets[0]).toMatchObject({ ok: true, phase: 'done' });
    expect(result.ok).toBe(true);
  });

  it('one bad card among good ones fails alone', async () => {
    const bad = path.join(dir, 'bad.img');
    const result = await flashImage({
      image,
      bmap,
      targets: [path.join(dir, 'good-1.img'), bad, path.join(dir, 'good-2.img')],
      openTarget: async (p) => (p === bad ? counterfeit(await openTarget(p), 128 << 20) : openTarget(p)),
    });
    expect(result.targets.map((t) => t.phase)).toEqual(['done', 'failed', 'done']);
    expect(result.ok).toBe(false);
  });
});
