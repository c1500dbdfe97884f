// Reading and writing files on a node with fixed scripts: paths, modes and
// owners travel as separate quoted arguments, contents on stdin.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ensureOk, ModuleFailure, type ModuleContext } from './types';

export type FileType = 'absent' | 'file' | 'directory' | 'link' | 'other';

export interface FileState {
  type: FileType;
  /** Octal permission bits as `stat %a` prints them, e.g. "644". */
  mode: string;
  owner: string;
  group: string;
  uid: string;
  gid: string;
  linkTarget?: string;
  /** With `want: 'content'`. */
  content?: string;
  /** With `want: 'sha1'`. */
  sha1?: string;
}

// $1 path, $2 what to add: none | content | sha1. Prints the type, then
// "mode owner group uid gid", then the link target or the content / checksum.
const PROBE = `p=$1
if [ -L "$p" ]; then t=link; elif [ -d "$p" ]; then t=directory; elif [ -f "$p" ]; then t=file; elif [ -e "$p" ]; then t=other; else echo absent; exit 0; fi
echo "$t"
stat -c '%a %U %G %u %g' -- "$p" || exit 1
if [ "$t" = link ]; then readlink -- "$p"; exit 0; fi
if [ "$t" = file ]; then
  case $2 in
    content) cat -- "$p" || exit 1 ;;
    sha1) sha1sum < "$p" || exit 1 ;;
  esac
fi
exit 0`;

export async function probeFile(ctx: ModuleContext, path: string, want: ProbeWant = 'none'): Promise<FileState> {
  const r = ensureOk(await ctx.run(['sh', '-c', PROBE, 'sh', path, want]), `reading ${path}`);
  return parseProbe(r.stdout, want);
}

type ProbeWant = 'none' | 'content' | 'sha1';

function parseProbe(stdout: string, want: ProbeWant): FileState {
  const nl1 = stdout.indexOf('\n');
  const type = (nl1 < 0 ? stdout : stdout.slice(0, nl1)).trim() as FileType;
  if (type === 'absent') return { type, mode: '', owner: '', group: '', uid: '', gid: '' };
  const nl2 = stdout.indexOf('\n', nl1 + 1);
  const [mode = '', owner = '', group = '', uid = '', gid = ''] = stdout.slice(nl1 + 1, nl2).split(' ');
  const rest = stdout.slice(nl2 + 1);
  const st: FileState = { type, mode, owner, group, uid, gid };
  if (type === 'link') st.linkTarget = rest.replace(/\n$/, '');
  else if (want === 'content' && type === 'file') st.content = rest;
  else if (want === 'sha1' && type === 'file') st.sha1 = rest.split(' ')[0]?.trim();
  return st;
}

export function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

// $1 dest, $2 mode ('' keeps the old file's, or the umask's for a new one), $3
// owner, $4 group. Written next to the destination and renamed over it, so
// readers never see half a file. Few processes: this runs for every changed
// file on every node at once, and on a Pi each fork counts.
const WRITE = `set -e
dest=$1
case $dest in */*) dir=\${dest%/*} ;; *) dir=. ;; esac
tmp="$dir/.bramble-tmp.$$"
trap 'rm -f -- "$tmp"' EXIT
set -C
cat > "$tmp"
set +C
if [ -e "$dest" ]; then
  chmod --reference="$dest" -- "$tmp"
  if [ ! -O "$dest" ] || [ ! -G "$dest" ]; then chown --reference="$dest" -- "$tmp" 2>/dev/null || true; fi
fi
if [ -n "$2" ]; then chmod -- "$2" "$tmp"; fi
if [ -n "$3" ]; then chown -- "$3" "$tmp"; fi
if [ -n "$4" ]; then chgrp -- "$4" "$tmp"; fi
mv -f -- "$tmp" "$dest"
trap - EXIT`;

export async function writeFile(ctx: ModuleContext, dest: string, content: string | Buffer, attrs: FileAttrs): Promise<void> {
  ensureOk(await ctx.run(['sh', '-c', WRITE, 'sh', dest, attrs.mode ?? '', attrs.owner ?? '', attrs.group ?? ''], { stdin: content }), `writing ${dest}`);
}

// The first run on a fresh node finds most paths empty. These do the probe and,
// when nothing is there, the creation in one round trip (on a Pi each round
// trip is an sshd fork and a shell); when something is there they only probe,
// and the module decides as before.
// $1 path, $2 what PROBE adds, $3 mode, $4 owner, $5 group; stdin the content.
const PROBE_OR_CREATE_FILE = `if [ -e "$1" ] || [ -L "$1" ]; then
${PROBE}
fi
set -- "$1" "$3" "$4" "$5"
${WRITE}
echo created`;

// $1 path, $2 mode for a new directory ('' for the umask's).
const PROBE_OR_MKDIR = `if [ -e "$1" ] || [ -L "$1" ]; then
set -- "$1" none
${PROBE}
fi
if [ -n "$2" ]; then mkdir -p -m "$2" -- "$1"; else mkdir -p -- "$1"; fi || exit 1
echo created`;

/** What is at `path` now, or 'created' when nothing was and `content` was written there with `attrs`. */
export async function probeOrCreateFile(ctx: ModuleContext, path: string, want: ProbeWant, content: string | Buffer, attrs: FileAttrs): Promise<FileState | 'created'> {
  const r = ensureOk(await ctx.run(['sh', '-c', PROBE_OR_CREATE_FILE, 'sh', path, want, attrs.mode ?? '', attrs.owner ?? '', attrs.group ?? ''], { stdin: content }), `reading or creating ${path}`);
  return r.stdout === 'created\n' ? 'created' : parseProbe(r.stdout, want);
}

/** What is at `path` now, or 'created' when nothing was and a directory (with `mode`) was made there. */
export async function probeOrMakeDirectory(ctx: ModuleContext, path: string, mode: string | undefined): Promise<FileState | 'created'> {
  const r = ensureOk(await ctx.run(['sh', '-c', PROBE_OR_MKDIR, 'sh', path, mode ?? '']), `reading or creating ${path}`);
  return r.stdout === 'created\n' ? 'created' : parseProbe(r.stdout, 'none');
}

/** mode/owner/group as the file-like modules take them. */
export const fileAttrShape = {
  mode: z.union([z.string(), z.number().int()]).optional(),
  owner: z.string().optional(),
  group: z.string().optional(),
};

export interface FileAttrs {
  mode?: string;
  owner?: string;
  group?: string;
}

/** Ansible's mode forms: an int (YAML 0644 is octal), "0644", "644", or symbolic "u=rw,g=r". */
export function normalizeMode(mode: string | number | undefined): string | undefined {
  if (mode === undefined || mode === '') return undefined;
  if (typeof mode === 'number') return mode.toString(8);
  const s = String(mode).trim();
  if (/^0?o?[0-7]{1,4}$/.test(s)) return Number.parseInt(s.replace(/^0o/, ''), 8).toString(8);
  if (/^[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*$/.test(s)) return s;
  throw new ModuleFailure(`mode must be octal (0644) or symbolic (u=rw,g=r), got ${JSON.stringify(mode)}`);
}

/** The octal mode a symbolic or octal mode gives when applied to `current` (what chmod would do). */
export function resolveMode(mode: string, current: string, isDir: boolean): string {
  if (/^[0-7]+$/.test(mode)) return Number.parseInt(mode, 8).toString(8);
  let bits = Number.parseInt(current || '0', 8);
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause)!;
    const who = m[1] || 'a';
    const op = m[2]!;
    const perms = m[3]!;
    const scopes = [...new Set(who.replace('a', 'ugo'))] as ('u' | 'g' | 'o')[];
    const shift = { u: 6, g: 3, o: 0 };
    let add = 0;
    let mask = 0;
    for (const s of scopes) {
      mask |= 7 << shift[s];
      let p = 0;
      if (perms.includes('r')) p |= 4;
      if (perms.includes('w')) p |= 2;
      if (perms.includes('x') || (perms.includes('X') && (isDir || (bits & 0o111) !== 0))) p |= 1;
      add |= p << shift[s];
      if (perms.includes('s') && s === 'u') add |= 0o4000;
      if (perms.includes('s') && s === 'g') add |= 0o2000;
      if (perms.includes('t') && s === 'o') add |= 0o1000;
    }
    if (op === '+') bits |= add;
    else if (op === '-') bits &= ~add;
    else bits = (bits & ~mask) | add;
  }
  return bits.toString(8);
}

/** What of mode/owner/group differs from the file now (names or numeric ids). */
export function attrChanges(st: FileState, attrs: FileAttrs): FileAttrs {
  const out: FileAttrs = {};
  if (attrs.mode && resolveMode(attrs.mode, st.mode, st.type === 'directory') !== st.mode) out.mode = attrs.mode;
  if (attrs.owner && attrs.owner !== st.owner && attrs.owner !== st.uid) out.owner = attrs.owner;
  if (attrs.group && attrs.group !== st.group && attrs.group !== st.gid) out.group = attrs.group;
  return out;
}

/** chmod/chown/chgrp argv steps for the attributes that differ. */
export function attrSteps(path: string, changes: FileAttrs, opts: { noDeref?: boolean } = {}): string[][] {
  const steps: string[][] = [];
  if (changes.mode) steps.push(['chmod', '--', changes.mode, path]);
  if (changes.owner) steps.push(['chown', ...(opts.noDeref ? ['-h'] : []), '--', changes.owner, path]);
  if (changes.group) steps.push(['chgrp', ...(opts.noDeref ? ['-h'] : []), '--', changes.group, path]);
  return steps;
}

// Runs argv groups in order, stopping at the first failure: "N argv..." repeated.
const SEQUENCE = 'while (($#)); do n=$1; shift; "${@:1:n}" || exit $?; shift "$n"; done';

/** Several commands in one round trip, each its own argv (no shell line built from values). */
export async function runSteps(ctx: ModuleContext, steps: string[][], what: string): Promise<void> {
  if (!steps.length) return;
  if (steps.length === 1) {
    ensureOk(await ctx.run(steps[0]!), what);
    return;
  }
  ensureOk(await ctx.run(['bash', '-c', SEQUENCE, 'bash', ...steps.flatMap((s) => [String(s.length), ...s])]), what);
}

export function attrsFrom(a: { mode?: string | number; owner?: string; group?: string }): FileAttrs {
  return { mode: normalizeMode(a.mode), owner: a.owner, group: a.group };
}
