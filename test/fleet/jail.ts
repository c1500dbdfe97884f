// Every file the fleet harness writes goes through a Jail. The tests run as root,
// and a harness that once wrote its fake apt-get one directory off replaced the
// machine's own and broke apt. So: all paths are built from one mkdtemp directory
// under os.tmpdir(), checked to stay inside it, and files are opened with
// O_NOFOLLOW because the node user owns its state directory and could leave a
// symlink there that root would otherwise follow.
import {
  chmodSync,
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Fleet directories are `<tmpdir>/bramble-fleet-XXXXXX` (mkdtemp's six characters, nothing else). */
export const FLEET_DIR_PREFIX = 'bramble-fleet-';
const FLEET_DIR_NAME = /^bramble-fleet-[A-Za-z0-9]{6}$/;

/** Whether `dir` is named like a fleet directory directly under the temp directory. */
export function looksLikeFleetDir(dir: string): boolean {
  return path.dirname(dir) === realTmpdir() && FLEET_DIR_NAME.test(path.basename(dir));
}

export function realTmpdir(): string {
  return realpathSync(os.tmpdir());
}

/** A real directory owned by us and writable only by us: a symlink or someone else's directory under /tmp is refused. */
export function ensureOwnDir(dir: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true, mode });
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) {
    throw new Error(`fleet: ${dir} must be a directory owned by uid ${process.getuid?.()} and not group/world-writable`);
  }
  return dir;
}

export class Jail {
  readonly root: string;

  constructor(root: string) {
    const real = realpathSync(root);
    if (!looksLikeFleetDir(real)) {
      throw new Error(`fleet: refusing to use ${root} as a fleet directory (must be ${realTmpdir()}/${FLEET_DIR_PREFIX}XXXXXX)`);
    }
    const st = lstatSync(real);
    if (!st.isDirectory() || st.uid !== process.getuid?.()) {
      throw new Error(`fleet: ${real} is not a directory owned by this user`);
    }
    this.root = real;
  }

  /** A fresh fleet directory, world-traversable so the node user can reach its home, bin and state. */
  static create(): Jail {
    const dir = mkdtempSync(path.join(realTmpdir(), FLEET_DIR_PREFIX));
    chmodSync(dir, 0o755);
    return new Jail(dir);
  }

  /** Absolute path of `parts` joined under the root; throws if it would leave the root. */
  path(...parts: string[]): string {
    const p = path.resolve(this.root, ...parts);
    this.assertInside(p);
    return p;
  }

  assertInside(p: string): void {
    const resolved = path.resolve(p);
    if (!resolved.startsWith(this.root + path.sep)) {
      throw new Error(`fleet: refusing to touch ${p}: outside the fleet directory ${this.root}`);
    }
  }

  mkdir(p: string, mode = 0o755): string {
    this.assertInside(p);
    mkdirSync(p, { recursive: true, mode });
    chmodSync(p, mode); // mkdir's mode is filtered by the umask
    return p;
  }

  /** Replace `p` atomically (temp file + rename), never following a symlink at `p`. */
  writeFile(p: string, content: string | Buffer, mode = 0o644): void {
    this.assertInside(p);
    const tmp = `${p}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    try {
      writeAll(fd, typeof content === 'string' ? Buffer.from(content) : content);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode);
    renameSync(tmp, p);
  }

  /** Append in one write(2) with O_APPEND, so concurrent appenders (the fake tools) never interleave lines. */
  appendFile(p: string, content: string): void {
    this.assertInside(p);
    const fd = openSync(p, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
    try {
      writeAll(fd, Buffer.from(content));
    } finally {
      closeSync(fd);
    }
  }

  /** Remove the whole fleet directory. rm does not follow symlinks. */
  removeAll(): void {
    rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
  }
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}
