// Writing images for real: every format to image files and loop devices,
// through the built writer process, compared byte for byte with the
// decompressed source; several cards at once; and every fault a user can meet
// ends in a specific message, never a crash. The one edge not real here is the
// SD card reader: loop devices stand in for cards.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drive } from '../../shared/drives';
import { createServices, type Services } from '../../electron/services';
import { listAllDrives } from '../../electron/services/drives/list-drives';
import { parseBmap } from '../../electron/services/images/bmap';
import { openTarget } from '../../electron/services/flash/targets';
import { ensureFixture, type Fixture } from '../fixtures/build-image';
import { sha256Prefix } from '../support/hash';
import { attachLoop, type LoopDevice } from '../support/loop';

const SIZE_MIB = 256;
let fx: Fixture;
let dir: string;
const loops: LoopDevice[] = [];

beforeAll(async () => {
  fx = await ensureFixture({ generation: 'bookworm', sizeMiB: SIZE_MIB });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-flash-'));
}, 600_000);

afterAll(async () => {
  for (const l of loops) await l.detach();
  rmSync(dir, { recursive: true, force: true });
});

/** A blank "card": a backing file filled with 0xA5 so stale data would show, on a loop device. */
async function card(name: string, mib = SIZE_MIB + 16): Promise<LoopDevice> {
  const file = path.join(dir, `${name}.card`);
  const fd = openSync(file, 'w');
  const junk = Buffer.alloc(1 << 20, 0xa5);
  for (let i = 0; i < mib; i++) writeSync(fd, junk);
  closeSync(fd);
  const loop = await attachLoop(file);
  loops.push(loop);
  return loop;
}


/** SHA-256 over just the bmap's mapped ranges: what a block-mapped write promises to put on the card. */
function mappedSha(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  for (const r of parseBmap(readFileSync(fx.bmap, 'utf8')).ranges) {
    const buf = Buffer.alloc(r.length);
    readSync(fd, buf, 0, r.length, r.start);
    hash.update(buf);
  }
  closeSync(fd);
  return hash.digest('hex');
}

const mappedBytes = () => parseBmap(readFileSync(fx.bmap, 'utf8')).mappedBytes;

/**
 * Every file, directory and link of both partitions, with a hash of each
 * file's bytes, read straight from the image with mtools and debugfs.
 */
function filesOf(image: string): Record<string, string> {
  const table = JSON.parse(execFileSync('sfdisk', ['-J', image], { encoding: 'utf8' })) as { partitiontable: { partitions: { start: number }[] } };
  const [boot, root] = table.partitiontable.partitions.map((p) => p.start * 512);
  const out = mkdtempSync(path.join(dir, 'files-'));
  try {
    execFileSync('mkdir', [path.join(out, 'boot'), path.join(out, 'root')]);
    execFileSync('mcopy', ['-s', '-n', '-i', `${image}@@${boot}`, '::/*', path.join(out, 'boot')]);
    execFileSync('debugfs', ['-R', `rdump / ${path.join(out, 'root')}`, `${image}?offset=${root}`], { stdio: 'ignore' });
    const listing = execFileSync('find', ['.', '-printf', '%y %p %l\\n'], { cwd: out, encoding: 'utf8' }).trim().split('\n').sort();
    const files: Record<string, string> = {};
    for (const line of listing) {
      const [type, name] = line.split(' ');
      files[`${type} ${name}`] = type === 'f' ? createHash('sha256').update(readFileSync(path.join(out, name!))).digest('hex').slice(0, 16) : line;
    }
    expect(Object.keys(files).length).toBeGreaterThan(40);
    return files;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Both filesystems of a written card are consistent, whatever the unmapped blocks still hold. */
async function checkFilesystems(loop: LoopDevice): Promise<void> {
  await loop.detach();
  const again = await attachLoop(loop.backingFile);
  loops.push(again);
  expect(again.partitions).toHaveLength(2);
  const fat = spawnSync('fsck.vfat', ['-n', again.partitions[0]!], { encoding: 'utf8' });
  expect(fat.status, fat.stdout).toBe(0);
  const ext = spawnSync('e2fsck', ['-fn', again.partitions[1]!], { encoding: 'utf8' });
  expect(ext.status, ext.stdout + ext.stderr).toBe(0);
  await again.detach();
}

function services(listDrives?: () => Promise<Drive[]>): Services {
  return createServices({ dataDir: mkdtempSync(path.join(dir, 'home-')), transport: 'electron', listDrives });
}

async function flash(s: Services, image: string, targets: string[], extra: { allowSystemDrives?: string[] } = {}) {
  const job = await s.flash.start({ image, targets, ...extra });
  return s.flash.wait(job.jobId);
}

const imageBytes = () => statSync(fx.img).size;

describe('writing each format', () => {
  for (const format of ['img', 'xz', 'gz', 'zip'] as const) {
    it(`${format}: to a new image file byte for byte, and to a used card with its mapped blocks exact and its filesystems clean`, async () => {
      const s = services();
      const file = path.join(dir, `out-${format}.img`);
      const loop = await card(`fmt-${format}`);
      const job = await flash(s, fx[format], [file, loop.device]);
      expect(job.state, JSON.stringify(job.targets)).toBe('done');
      expect(job.targets.map((t) => t.phase)).toEqual(['done', 'done']);
      // A fresh file gets holes where the bmap has none: byte for byte equal to the image.
      expect(sha256Prefix(file, imageBytes())).toBe(fx.sha256.img);
      // A used card keeps its old bytes outside the mapped blocks (as with bmaptool): those that matter are exact...
      expect(mappedSha(loop.device)).toBe(mappedSha(fx.img));
      // ...and the filesystems are consistent despite the junk left in their free space.
      await checkFilesystems(loop);
    });
  }

  for (const kind of ['img', 'xz'] as const) {
    it(`without a block map (${kind}), a used card gets only the blocks its filesystems use: same files, clean filesystems, a fraction of the bytes`, async () => {
      const bare = path.join(dir, `nomap-${kind}`, kind === 'img' ? 'raspios.img' : 'raspios.img.xz');
      execFileSync('mkdir', ['-p', path.dirname(bare)]);
      copyFileSync(fx[kind], bare);
      const loop = await card(`nomap-${kind}`);
      const job = await flash(services(), bare, [loop.device]);
      expect(job.state, JSON.stringify(job.targets)).toBe('done');
      expect(job.written!.imageBytes).toBe(imageBytes());
      // The fixture's filesystems hold about 70 MiB of its 256.
      expect(job.written!.bytes).toBeLessThan(imageBytes() * 0.4);
      expect(job.written!.bytes).toBeGreaterThan(mappedBytes());
      // Every file a Pi would read is there, byte for byte, despite the junk left in free space.
      expect(filesOf(loop.backingFile)).toEqual(filesOf(fx.img));
      await checkFilesystems(loop);
    });
  }

  it('without a block map, an image file is written whole: byte for byte the image', async () => {
    const bare = path.join(dir, 'nomap-file', 'raspios.img.xz');
    execFileSync('mkdir', ['-p', path.dirname(bare)]);
    copyFileSync(fx.xz, bare);
    const out = path.join(dir, 'nomap-out.img');
    const job = await flash(services(), bare, [out]);
    expect(job.state).toBe('done');
    expect(sha256Prefix(out, imageBytes())).toBe(fx.sha256.img);
  });

  it('writes two cards at once, both with consistent filesystems', async () => {
    const [a, b] = [await card('two-a'), await card('two-b')];
    const job = await flash(services(), fx.xz, [a.device, b.device]);
    expect(job.targets.map((t) => t.phase)).toEqual(['done', 'done']);
    for (const l of [a, b]) {
      expect(mappedSha(l.device)).toBe(mappedSha(fx.img));
      await checkFilesystems(l);
    }
  });
});

describe('faults', () => {
  it('a truncated .xz fails with a plain reason and no crash', async () => {
    const cut = path.join(dir, 'cut.img.xz');
    copyFileSync(fx.xz, cut);
    truncateSync(cut, Math.floor(statSync(fx.xz).size / 2));
    const loop = await card('cut');
    await expect(services().flash.start({ image: cut, targets: [loop.device] })).rejects.toThrow(/The \.xz image cut\.img\.xz is damaged or truncated/);
  });

  it('a corrupt .zip fails with a plain reason', async () => {
    const bad = path.join(dir, 'bad.zip');
    const data = readFileSync(fx.zip);
    // Flip bytes in the middle of the deflate stream, leaving the directory intact.
    for (let i = 0; i < 64; i++) data[(data.length >> 1) + i]! ^= 0xff;
    writeFileSync(bad, data);
    const job = await flash(services(), bad, [path.join(dir, 'bad-zip.img')]);
    expect(job.state).toBe('failed');
    expect(job.targets[0]!.error).toMatch(/The \.zip image bad\.zip is (corrupt|damaged or truncated)/);
  });

  it('refuses a card too small for the image, before writing anything', async () => {
    const small = await card('small', 64);
    await expect(services().flash.start({ image: fx.img, targets: [small.device] })).rejects.toThrow(/is too small: the image needs 268 MB and the drive has 67\.1 MB/);
  });

  it('refuses a system drive and the drive holding the image at the service level, and in the writer', async () => {
    const sys = await card('system');
    const src = await card('source');
    // The drive list is the edge replaced here: a loop device marked as this computer's system drive.
    const fake = async () => (await listAllDrives()).map((d) => (d.device === sys.device ? { ...d, isSystem: true } : d));
    const s = services(fake);
    await expect(s.flash.start({ image: fx.img, targets: [sys.device] })).rejects.toThrow(/is a system drive of this computer.*Bramble refuses unless/);
    // Confirming one system drive does not open the door to another.
    await expect(s.flash.start({ image: fx.img, targets: [sys.device], allowSystemDrives: [src.device] })).rejects.toThrow(/is a system drive of this computer/);
    const onCard = src.backingFile;
    await expect(s.flash.start({ image: onCard, targets: [src.device] })).rejects.toThrow(/holds the image you are writing/);
    const before = sha256Prefix(sys.device, 1 << 20);
    expect(before).toBe(createHash('sha256').update(Buffer.alloc(1 << 20, 0xa5)).digest('hex'));
  });

  it('refuses a device that changed between the safety check and the open', async () => {
    const checkedCard = await card('checked');
    const swappedIn = await card('swapped');
    // The writer checked `checkedCard`; by the time it opens the path, another device is there.
    await expect(openTarget(swappedIn.device, { expectRdev: statSync(checkedCard.device).rdev })).rejects.toThrow(/changed between Bramble's safety check and opening it/);
    const same = await openTarget(checkedCard.device, { expectRdev: statSync(checkedCard.device).rdev });
    await same.close();
    expect(sha256Prefix(swappedIn.device, 1 << 20)).toBe(createHash('sha256').update(Buffer.alloc(1 << 20, 0xa5)).digest('hex'));
  });

  it('a card detached mid-write fails alone; the other card finishes and verifies', async () => {
    const keep = await card('keep');
    const pulled = await card('pulled');
    const s = services();
    const job = await s.flash.start({ image: fx.gz, targets: [keep.device, pulled.device] });
    const off = s.hub.subscribe((event, payload) => {
      const p = payload as typeof job;
      if (event === 'flash:progress' && p.targets.some((t) => t.target === pulled.device && t.phase === 'writing' && t.bytes > 0)) {
        off();
        // Yank the "card": its backing file goes, and the loop device shrinks to nothing under the writer.
        truncateSync(pulled.backingFile, 0);
        execFileSync('losetup', ['-c', pulled.device]);
      }
    });
    const done = await s.flash.wait(job.jobId);
    const [k, p] = done.targets;
    expect(k).toMatchObject({ phase: 'done' });
    expect(p!.phase).toBe('failed');
    expect(p!.error).toMatch(/removed/);
    expect(mappedSha(keep.device)).toBe(mappedSha(fx.img));
  });

  it('cancel mid-write stops promptly, reports cancelled, and leaves no writer process', async () => {
    const loop = await card('cancel');
    const s = services();
    const job = await s.flash.start({ image: fx.xz, targets: [loop.device] });
    await new Promise<void>((resolve) => {
      const off = s.hub.subscribe((event, payload) => {
        if (event === 'flash:progress' && (payload as typeof job).targets[0]!.bytes > 0) {
          off();
          resolve();
        }
      });
    });
    const t0 = Date.now();
    expect(s.flash.cancel(job.jobId)).toBe(true);
    const done = await s.flash.wait(job.jobId);
    expect(done.state).toBe('cancelled');
    expect(done.targets[0]!.phase).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(5000);
    const writers = spawnSync('pgrep', ['-f', 'dist/writer/writer.cjs'], { encoding: 'utf8' }).stdout.trim();
    expect(writers).toBe('');
  });
});
