// A throwaway root for running a script as if on the Pi: the named programs and
// their shared libraries copied from this machine into a temp dir, for chroot.
// Everything is built under the temp dir; nothing outside it is written.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Chroot {
  root: string;
  /** Writes a file inside the root (path is absolute within it). */
  write(file: string, content: string, mode?: number): void;
  path(file: string): string;
  run(command: string[], env?: Record<string, string>): { status: number | null; stdout: string; stderr: string };
  remove(): void;
}

export function makeChroot(programs: string[]): Chroot {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bramble-root-'));
  const inside = (p: string) => {
    const full = path.join(root, p);
    if (!full.startsWith(root + path.sep)) throw new Error(`refusing to write outside the chroot: ${p}`);
    return full;
  };
  const copy = (file: string) => {
    const target = inside(file);
    if (existsSync(target)) return;
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(realpathSync(file), target);
    chmodSync(target, 0o755);
  };
  // Debian's merged /usr: /bin, /lib and friends are links into /usr.
  for (const dir of ['bin', 'sbin', 'lib', 'lib64']) {
    mkdirSync(inside(`usr/${dir}`), { recursive: true });
    symlinkSync(`usr/${dir}`, inside(dir));
  }
  for (const program of programs) {
    const file = execFileSync('bash', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim();
    copy(file);
    const libs = execFileSync('ldd', [file], { encoding: 'utf8' }).match(/\/[^\s)]+/g) ?? [];
    for (const lib of libs) copy(lib);
  }
  for (const dir of ['etc', 'tmp', 'boot/firmware', 'home', 'var/lib/systemd/rfkill', 'etc/ssh', 'etc/wpa_supplicant', 'etc/default', 'dev']) mkdirSync(inside(dir), { recursive: true });
  writeFileSync(inside('dev/null'), '');
  return {
    root,
    write(file, content, mode = 0o644) {
      mkdirSync(path.dirname(inside(file)), { recursive: true });
      writeFileSync(inside(file), content, { mode });
      chmodSync(inside(file), mode);
    },
    path: inside,
    run(command, env = {}) {
      const r = spawnSync('chroot', [root, ...command], { encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', ...env } });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
