// The fixture images other tests flash and inspect, checked with the tools a
// person would use on a real Raspberry Pi OS download (sfdisk, mtools,
// fsck.fat, debugfs, e2fsck, xz, gzip, unzip, bmaptool), plus the cache that
// shares them between runs and processes, and the loop-device helper.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildFixture, ensureFixture, fixtureKey, loadFixture, GENERATIONS, type Fixture, type FixtureSpec, type Generation } from '../fixtures/build-image';
import { attachLoop, detachAll } from '../support/loop';

const exec = promisify(execFile);
const SMALL = 256;
const fixtures = new Map<Generation, Fixture>();
let scratch: string;

/** sha256 of what a shell pipeline writes, hashed by sha256sum so it runs beside the decompressor. */
async function sha256Of(pipeline: string, ...files: string[]): Promise<string> {
  const { stdout } = await exec('bash', ['-c', `set -o pipefail; ${pipeline} | sha256sum`, 'bash', ...files]);
  return stdout.split(' ')[0]!;
}

async function readAt(file: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, offset);
    return buf;
  } finally {
    await fh.close();
  }
}

const debugfs = async (f: Fixture, request: string) => (await exec('debugfs', ['-R', request, `${f.img}?offset=${f.rootOffset}`])).stdout;
const mtype = async (f: Fixture, name: string) => (await exec('mtype', ['-i', `${f.img}@@${f.bootOffset}`, `::/${name}`])).stdout;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'bramble-fixtures-test-'));
  // One at a time: each build already keeps both cores busy, and three at once measured slower.
  for (const generation of GENERATIONS) fixtures.set(generation, await ensureFixture({ generation, sizeMiB: SMALL }));
});

afterAll(async () => {
  await detachAll();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe.each(GENERATIONS)('the %s fixture', (generation) => {
  const f = () => fixtures.get(generation)!;

  it('has an MBR with bootfs (type c) and rootfs (type 83) where the fixture says, and its disk id', async () => {
    const mbr = await readAt(f().img, 0, 512);
    expect(mbr.readUInt16LE(510)).toBe(0xaa55);
    expect(mbr.readUInt32LE(440)).toBe(f().diskId);
    const entry = (i: number) => ({ type: mbr[446 + 16 * i + 4], start: mbr.readUInt32LE(446 + 16 * i + 8) * 512, size: mbr.readUInt32LE(446 + 16 * i + 12) * 512 });
    expect(entry(0)).toEqual({ type: 0x0c, start: f().bootOffset, size: f().bootSize });
    expect(entry(1)).toEqual({ type: 0x83, start: f().rootOffset, size: f().rootSize });
    expect(entry(2).type).toBe(0);
    expect(f().rootOffset + f().rootSize).toBe(statSync(f().img).size);
    // pi-gen aligns to 4 MiB up to early 2025, 8 MiB since (trixie).
    expect(f().bootOffset).toBe(generation === 'trixie' ? 8 << 20 : 4 << 20);
    const table = JSON.parse((await exec('sfdisk', ['-J', f().img])).stdout).partitiontable;
    expect(table.id).toBe(`0x${f().diskId.toString(16).padStart(8, '0')}`);
  });

  it('boots from the root partition named in cmdline.txt, as this release does', async () => {
    const cmdline = await mtype(f(), 'cmdline.txt');
    expect(cmdline.split('\n')).toEqual([expect.any(String), '']);
    expect(cmdline).toContain(`root=PARTUUID=${f().partuuid.root} rootfstype=ext4 fsck.repair=yes rootwait`);
    expect(f().partuuid.root).toBe(`${f().diskId.toString(16).padStart(8, '0')}-02`);
    if (generation === 'trixie') expect(cmdline.trimEnd()).toMatch(/ resize$/);
    else expect(cmdline.trimEnd()).toMatch(/ quiet init=\/usr\/lib\/raspberrypi-sys-mods\/firstboot$/);
    expect(await mtype(f(), 'issue.txt')).toMatch(new RegExp(`^Raspberry Pi reference ${f().release.date}\nGenerated using pi-gen, https://github.com/RPi-Distro/pi-gen, [0-9a-f]{40}, stage2\n$`));
    expect(await mtype(f(), 'config.txt')).toContain('\narm_64bit=1\n');
    const names = (await exec('mdir', ['-b', '-i', `${f().img}@@${f().bootOffset}`, '::/'])).stdout.toLowerCase();
    expect(names).toContain('::/kernel8.img');
    expect(names.includes('::/kernel_2712.img')).toBe(generation !== 'bullseye');
    expect(names.includes('::/user-data')).toBe(generation === 'trixie');
    if (generation === 'trixie') expect(await mtype(f(), 'user-data')).toMatch(/^#cloud-config\n/);
  });

  it('has a FAT32 boot partition labelled bootfs that fsck.fat finds clean', async () => {
    const boot = await readAt(f().img, f().bootOffset, 512);
    expect(boot.toString('latin1', 0x47, 0x52)).toBe('bootfs     ');
    expect(boot.toString('latin1', 0x52, 0x5a)).toBe('FAT32   ');
    expect(boot.readUInt8(0x0d)).toBe(4); // sectors per cluster, as pi-gen's mkdosfs -s 4
    const part = path.join(scratch, `${generation}-boot.fat`);
    await exec('dd', [`if=${f().img}`, `of=${part}`, 'bs=1M', `skip=${f().bootOffset >> 20}`, `count=${f().bootSize >> 20}`, 'conv=sparse', 'status=none']);
    const { stdout } = await exec('fsck.fat', ['-n', part]);
    expect(stdout).toMatch(/files, \d+\/\d+ clusters/);
    await rm(part);
  });

  it('has an ext4 root whose os-release names the release, clean by e2fsck', async () => {
    // As on Debian, /etc/os-release is a symlink: a reader must follow it.
    expect(await debugfs(f(), 'stat /etc/os-release')).toContain('Fast link dest: "../usr/lib/os-release"');
    const osRelease = await debugfs(f(), 'cat /usr/lib/os-release');
    expect(osRelease).toContain(`\nVERSION_CODENAME=${generation}\n`);
    expect(osRelease).toContain('\nID=debian\n');
    expect(osRelease).toContain(`VERSION_ID="${f().release.versionId}"`);
    expect(await debugfs(f(), 'cat /etc/rpi-issue')).toBe(await mtype(f(), 'issue.txt'));
    expect(await debugfs(f(), 'cat /etc/fstab')).toContain(`PARTUUID=${f().partuuid.boot}  ${f().release.bootMount}`);
    const features = await debugfs(f(), 'stat /usr/lib/raspberrypi-sys-mods/imager_custom');
    expect(features).toContain('Type: regular');
    const { stdout } = await exec('e2fsck', ['-fn', `${f().img}?offset=${f().rootOffset}`]);
    expect(stdout).toMatch(/^rootfs: \d+\/\d+ files/m);
    const sb = await readAt(f().img, f().rootOffset + 1024, 256);
    expect(sb.readUInt16LE(0x38)).toBe(0xef53);
    expect(sb.toString('latin1', 0x78, 0x7e)).toBe('rootfs');
  });

  it('has .xz, .gz and .zip that decompress to the .img, and sums that match', async () => {
    const [xz, gz, zip] = await Promise.all([
      sha256Of('xz -dc -T2 "$1"', f().xz),
      sha256Of('gzip -dc "$1"', f().gz),
      sha256Of('unzip -p "$1"', f().zip),
      // Every file, the .img included, against the sums the build recorded.
      exec('sha256sum', ['--quiet', '-c', f().sums], { cwd: f().dir }),
    ]);
    expect({ xz, gz, zip }).toEqual({ xz: f().sha256.img, gz: f().sha256.img, zip: f().sha256.img });
    // Multi-block, so xz -T can spread decompression over cores.
    const blocks = (await exec('xz', ['--robot', '-lvv', f().xz])).stdout.split('\n').filter((l) => l.startsWith('block\t'));
    expect(blocks.length).toBeGreaterThan(4);
    const zipList = (await exec('unzip', ['-Z1', f().zip])).stdout.trim();
    expect(zipList).toBe(path.basename(f().img));
  });

  it('has a .bmap that bmaptool uses to rebuild the image from the .xz', async () => {
    const xml = await readFile(f().bmap, 'utf8');
    const ranges = [...xml.matchAll(/<Range chksum="[0-9a-f]{64}">\s*(\d+)(?:-(\d+))?\s*<\/Range>/g)];
    expect(ranges.length).toBeGreaterThan(2);
    expect(ranges[0]![1]).toBe('0'); // the MBR
    const mapped = ranges.reduce((n, m) => n + (Number(m[2] ?? m[1]) - Number(m[1]) + 1), 0);
    expect(mapped * 4096).toBe(f().mappedBytes);
    const target = path.join(scratch, `${generation}-copy.img`);
    await exec('bmaptool', ['copy', '--bmap', f().bmap, f().xz, target]);
    expect(await sha256Of('cat "$1"', target)).toBe(f().sha256.img);
    await rm(target);
  });

  it('holds about usedFraction of real data that compresses like an OS', async () => {
    expect(f().usedFraction).toBeGreaterThan(0.22);
    expect(f().usedFraction).toBeLessThan(0.28);
    // Counted independently of bmaptool: non-zero 4 KiB blocks.
    const fh = await open(f().img, 'r');
    const buf = Buffer.alloc(4 << 20);
    const zero = Buffer.alloc(4096);
    let nonZero = 0;
    try {
      for (let at = 0; at < f().imageSize; at += buf.length) {
        await fh.read(buf, 0, buf.length, at);
        for (let b = 0; b < buf.length; b += 4096) {
          if (!buf.subarray(b, b + 4096).equals(zero)) nonZero++;
        }
      }
    } finally {
      await fh.close();
    }
    expect(nonZero * 4096).toBeLessThanOrEqual(f().mappedBytes);
    // Mapped blocks also hold the zeros mkfs wrote (empty FAT tables, ext4 metadata), as on a real image.
    expect(nonZero * 4096).toBeGreaterThan(f().mappedBytes * 0.9);
    const ratio = f().mappedBytes / f().bytes.xz;
    expect(ratio).toBeGreaterThan(2);
    expect(ratio).toBeLessThan(4);
  });
});

describe('the fixture cache', () => {
  it('answers a second call from the cache, quickly, with the same files', async () => {
    const first = fixtures.get('bookworm')!;
    const start = performance.now();
    const [again, alsoAgain] = await Promise.all([ensureFixture({ generation: 'bookworm', sizeMiB: SMALL }), ensureFixture({ generation: 'bookworm', sizeMiB: SMALL })]);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(again.cacheHit).toBe(true);
    expect(again.img).toBe(first.img);
    expect(again.sha256).toEqual(first.sha256);
    expect(alsoAgain.img).toBe(first.img);
    expect(path.basename(first.dir)).toBe(fixtureKey({ generation: 'bookworm', sizeMiB: SMALL }));
  });

  it('lets two processes ask for the same new fixture: one builds, the other waits, nothing half-built is left', async () => {
    const cache = path.join(scratch, 'cache');
    const cli = path.resolve('test/fixtures/cli.ts');
    const tsx = path.resolve('node_modules/.bin/tsx');
    const ask = () =>
      exec(tsx, [cli, '--generation', 'bullseye', '--arch', 'armhf', '--size', '176', '--used', '0.1', '--json'], { env: { ...process.env, BRAMBLE_FIXTURE_CACHE: cache } }).then(
        (r) => JSON.parse(r.stdout) as Fixture,
      );
    const [a, b] = await Promise.all([ask(), ask()]);
    expect(a.dir).toBe(b.dir);
    expect([a.cacheHit, b.cacheHit].sort()).toEqual([false, true]);
    expect(a.sha256).toEqual(b.sha256);
    expect(await readdir(cache)).toEqual([path.basename(a.dir)]);
    // armhf images are Raspbian, with the 32-bit kernels beside kernel8.img.
    expect(await debugfs(a, 'cat /usr/lib/os-release')).toMatch(/\nID=raspbian\nID_LIKE=debian\n/);
    expect((await exec('mdir', ['-b', '-i', `${a.img}@@${a.bootOffset}`, '::/'])).stdout.toLowerCase()).toContain('::/kernel7l.img');

    // The same spec built again elsewhere gives the same bytes: the build is deterministic.
    const spec: FixtureSpec = { generation: 'bullseye', arch: 'armhf', sizeMiB: 176, usedFraction: 0.1 };
    const elsewhere = path.join(scratch, 'again');
    await exec('mkdir', [elsewhere]);
    const manifest = await buildFixture(spec, elsewhere);
    expect(manifest.sha256).toEqual(a.sha256);

    // A cached image something wrote to (its mtime moved) is no longer a cache entry: the next call rebuilds it.
    expect(await loadFixture(a.dir)).toBeDefined();
    await utimes(a.img, new Date(), new Date());
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      expect(await loadFixture(a.dir)).toBeUndefined();
      expect(String(warn.mock.calls[0]?.[0])).toContain(`${a.img} was modified after it was built`);
    } finally {
      warn.mockRestore();
    }
  });
});

const canLoop = process.getuid?.() === 0 && existsSync('/dev/loop-control');

describe.skipIf(!canLoop)('attachLoop', () => {
  it('attaches a fixture with its partitions, reads bootfs through /dev, and detaches cleanly', async () => {
    const f = fixtures.get('bookworm')!;
    const loop = await attachLoop(f.img, { readOnly: true });
    let detached = false;
    try {
      expect(loop.device).toMatch(/^\/dev\/loop\d+$/);
      expect(loop.size).toBe(f.imageSize);
      expect(loop.partitions).toEqual([`${loop.device}p1`, `${loop.device}p2`]);
      for (const node of loop.partitions) expect(statSync(node).isBlockDevice()).toBe(true);
      const sector = await readAt(loop.partitions[0]!, 0, 512);
      expect(sector.toString('latin1', 0x47, 0x52)).toBe('bootfs     ');
      const sb = await readAt(loop.partitions[1]!, 1024, 256);
      expect(sb.toString('latin1', 0x78, 0x7e)).toBe('rootfs');
      await loop.detach();
      detached = true;
      await loop.detach(); // idempotent
      const { stdout } = await exec('losetup', ['-a']);
      expect(stdout).not.toContain(`${loop.device}:`);
      for (const node of loop.partitions) expect(existsSync(node)).toBe(false);
    } finally {
      if (!detached) await loop.detach();
    }
  });

  it('attaches without partitions when asked', async () => {
    const loop = await attachLoop(fixtures.get('trixie')!.img, { partitions: false, readOnly: true });
    try {
      expect(loop.partitions).toEqual([]);
      expect(existsSync(`${loop.device}p1`)).toBe(false);
    } finally {
      await loop.detach();
    }
  });
});
