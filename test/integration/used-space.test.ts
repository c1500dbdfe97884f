// The free-space map against filesystems made by the Debian tools themselves
// (mkfs.vfat, mkfs.ext2/ext4 with populated trees, debugfs to delete files so
// free space holds stale data): every block the map calls free is overwritten
// with junk, as a used card would keep it, and the filesystem must still check
// clean and hold every file byte for byte. Filesystems whose bitmaps cannot be
// trusted (bigalloc, a journal to replay, not cleanly unmounted) are written whole.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsedSpace } from '../../electron/services/flash/used-space';

const MIB = 1 << 20;
const PART_START = 2048 * 512;
let dir: string;
let src: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-used-space-'));
  src = path.join(dir, 'src');
  mkdirSync(path.join(src, 'sub'), { recursive: true });
  for (let i = 1; i <= 24; i++) writeFileSync(path.join(i % 3 ? src : path.join(src, 'sub'), `f${i}`), Buffer.alloc(i * 7919, i));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A disk image: an MBR with one partition of `type` holding the filesystem file `fs`. */
function diskWith(fs: string, type: string): string {
  const disk = `${fs}.disk`;
  const size = statSync(fs).size;
  execFileSync('truncate', ['-s', String(PART_START + size + MIB), disk]);
  execFileSync('sfdisk', ['-q', disk], { input: `2048,${size / 512},${type}\n` });
  execFileSync('dd', [`if=${fs}`, `of=${disk}`, 'bs=1M', `seek=${PART_START}`, 'oflag=seek_bytes', 'conv=notrunc', 'status=none']);
  return disk;
}

/** Streams the disk through the map in 1 MiB chunks; junk goes over every block it calls free. Returns the bytes kept. */
function junkFreeSpace(disk: string): number {
  const map = new UsedSpace();
  const fd = openSync(disk, 'r+');
  const size = statSync(disk).size;
  const junk = Buffer.alloc(MIB, 0xa5);
  let kept = 0;
  try {
    for (let o = 0; o < size; o += MIB) {
      const chunk = Buffer.alloc(Math.min(MIB, size - o));
      readSync(fd, chunk, 0, chunk.length, o);
      map.feed(o, chunk);
      let pos = o;
      for (const seg of [...map.usedSegments(o, chunk.length), { offset: o + chunk.length, length: 0 }]) {
        if (seg.offset > pos) writeSync(fd, junk, 0, seg.offset - pos, pos);
        kept += seg.length;
        pos = seg.offset + seg.length;
      }
    }
  } finally {
    closeSync(fd);
  }
  return kept;
}

function partitionOf(disk: string, fsSize: number): string {
  const out = `${disk}.part`;
  execFileSync('dd', [`if=${disk}`, `of=${out}`, 'bs=1M', `skip=${PART_START}`, `count=${fsSize}`, 'iflag=skip_bytes,count_bytes', 'status=none']);
  return out;
}

function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16);
    }
  };
  walk(root);
  return out;
}

function extFiles(fs: string): Record<string, string> {
  const out = mkdtempSync(path.join(dir, 'x-'));
  execFileSync('debugfs', ['-R', `rdump / ${out}`, fs], { stdio: 'ignore' });
  rmSync(path.join(out, 'lost+found'), { recursive: true, force: true });
  return tree(out);
}

function fatFiles(fs: string): Record<string, string> {
  const out = mkdtempSync(path.join(dir, 'x-'));
  execFileSync('mcopy', ['-s', '-n', '-i', fs, '::/*', out]);
  return tree(out);
}

describe('the free-space map on real filesystems', () => {
  // The share of the disk written at most: 1 KiB-block filesystems have many
  // groups mke2fs left BLOCK_UNINIT, which are written whole (their bitmaps are not on disk).
  const EXT: [string, string, string[], number][] = [
    ['ext4, 4 KiB blocks, flex_bg', 'mkfs.ext4', ['-b', '4096'], 0.3],
    ['ext4, 1 KiB blocks', 'mkfs.ext4', ['-b', '1024'], 0.9],
    ['ext4, 4 KiB blocks, no flex_bg, 64bit', 'mkfs.ext4', ['-b', '4096', '-O', '^flex_bg,64bit'], 0.3],
    ['ext2', 'mkfs.ext2', ['-b', '4096'], 0.3],
    ['ext4 bigalloc (one bit per cluster)', 'mkfs.ext4', ['-b', '4096', '-O', 'bigalloc', '-C', '16384', '-g', '8192'], 1],
  ];
  for (const [label, mkfs, opts, share] of EXT) {
    const trusted = share < 1;
    it(`${label}: ${trusted ? 'free blocks left out' : 'written whole'}, files intact, fsck clean`, () => {
      const fs = path.join(dir, `${label.replace(/\W+/g, '-')}.fs`);
      execFileSync('truncate', ['-s', String(48 * MIB), fs]);
      execFileSync(mkfs, ['-q', '-F', ...opts, '-d', src, fs], { stdio: 'ignore' });
      // Deleted files leave stale data in free blocks.
      execFileSync('debugfs', ['-w', '-R', 'rm /f2', fs], { stdio: 'ignore' });
      const before = extFiles(fs);
      const disk = diskWith(fs, '83');
      const kept = junkFreeSpace(disk);
      const after = partitionOf(disk, statSync(fs).size);
      if (trusted) expect(kept).toBeLessThan(statSync(disk).size * share);
      else expect(kept).toBe(statSync(disk).size);
      const fsck = spawnSync('e2fsck', ['-fn', after], { encoding: 'utf8' });
      expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
      expect(extFiles(after)).toEqual(before);
      expect(Object.keys(before).length).toBe(23);
    });
  }

  it('an ext4 image that still has a journal to replay, or was not cleanly unmounted, is written whole', () => {
    for (const damage of ['feature needs_recovery', 'ssv state 0']) {
      const fs = path.join(dir, `dirty-${damage.split(' ')[1]}.fs`);
      execFileSync('truncate', ['-s', String(32 * MIB), fs]);
      execFileSync('mkfs.ext4', ['-q', '-F', '-d', src, fs], { stdio: 'ignore' });
      execFileSync('debugfs', ['-w', '-R', damage, fs], { stdio: 'ignore' });
      const disk = diskWith(fs, '83');
      expect(junkFreeSpace(disk), damage).toBe(statSync(disk).size);
    }
  });

  for (const [label, opts] of [
    ['FAT16', ['-F', '16']],
    ['FAT32', ['-F', '32', '-s', '1']],
  ] as const) {
    it(`${label}: free clusters left out, files intact, fsck clean`, () => {
      const fs = path.join(dir, `${label}.fs`);
      execFileSync('truncate', ['-s', String(64 * MIB), fs]);
      execFileSync('mkfs.vfat', [...opts, fs], { stdio: 'ignore' });
      execFileSync('mmd', ['-i', fs, '::sub']);
      for (const f of readdirSync(src)) if (f.startsWith('f')) execFileSync('mcopy', ['-i', fs, path.join(src, f), `::${f}`]);
      for (const f of readdirSync(path.join(src, 'sub'))) execFileSync('mcopy', ['-i', fs, path.join(src, 'sub', f), `::sub/${f}`]);
      execFileSync('mdel', ['-i', fs, '::f2']);
      const before = fatFiles(fs);
      const disk = diskWith(fs, label === 'FAT16' ? '6' : 'c');
      const kept = junkFreeSpace(disk);
      const after = partitionOf(disk, statSync(fs).size);
      expect(kept).toBeLessThan(statSync(disk).size * 0.5);
      const fsck = spawnSync('fsck.vfat', ['-n', after], { encoding: 'utf8' });
      expect(fsck.status, fsck.stdout).toBe(0);
      expect(fatFiles(after)).toEqual(before);
      expect(Object.keys(before).length).toBe(23);
    });
  }
});
