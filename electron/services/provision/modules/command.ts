// command and shell. command runs an argv (split like Python's shlex, nothing
// expanded); shell hands its line to /bin/sh, which is the point of it. Both
// honour creates/removes with one read-only check before running.
import path from 'node:path';
import { parse } from 'shell-quote';
import { z } from 'zod';
import { flag } from './arg-types';
import type { ExecResult } from '../../ssh/remote-exec';
import { ModuleFailure, type ModuleContext, type ModuleDef, type ModuleResult } from './types';

const base = {
  cmd: z.string().optional(),
  chdir: z.string().optional(),
  creates: z.string().optional(),
  removes: z.string().optional(),
  stdin: z.string().optional(),
  stdin_add_newline: flag(true),
  strip_empty_ends: flag(true),
};
const commandArgs = z.object({ ...base, argv: z.array(z.coerce.string()).optional() }).strict();
const shellArgs = z.object({ ...base, executable: z.string().optional() }).strict();

/** shlex.split: quotes and backslashes respected, `$VAR`, globs and operators left as text. */
export function splitCommand(cmd: string): string[] {
  return parse(cmd, (key) => `$${key}`).map((t) => {
    if (typeof t === 'string') return t;
    if ('comment' in t) return `#${t.comment}`;
    if ('pattern' in t) return t.pattern;
    return t.op;
  });
}

const CHDIR = 'cd -- "$1" || exit 1; shift; exec "$@"';
const TEST_EXISTS = 'for p in "$@"; do if [ -e "$p" ]; then echo yes; else echo no; fi; done';

async function guard(ctx: ModuleContext, a: { chdir?: string; creates?: string; removes?: string }): Promise<ModuleResult | undefined> {
  const abs = (p: string) => (a.chdir && !path.posix.isAbsolute(p) ? path.posix.join(a.chdir, p) : p);
  const paths = [a.creates, a.removes].filter((p): p is string => p !== undefined).map(abs);
  if (!paths.length) return undefined;
  const r = await ctx.run(['sh', '-c', TEST_EXISTS, 'sh', ...paths]);
  const [first, second] = r.stdout.trim().split('\n');
  let i = 0;
  if (a.creates !== undefined) {
    if ((i++ === 0 ? first : second) === 'yes') return { changed: false, rc: 0, stdout: `skipped, since ${abs(a.creates)} exists`, msg: `Did not run command since '${abs(a.creates)}' exists` };
  }
  if (a.removes !== undefined) {
    if ((i === 0 ? first : second) === 'no') return { changed: false, rc: 0, stdout: `skipped, since ${abs(a.removes)} does not exist`, msg: `Did not run command since '${abs(a.removes)}' does not exist` };
  }
  return undefined;
}

function outcome(r: ExecResult, strip: boolean): ModuleResult {
  const clean = (s: string) => (strip ? s.replace(/\n+$/, '') : s);
  const stdout = clean(r.stdout);
  const stderr = clean(r.stderr);
  const res: ModuleResult = {
    changed: true,
    rc: r.code,
    stdout,
    stderr,
    stdout_lines: stdout ? stdout.split('\n') : [],
    stderr_lines: stderr ? stderr.split('\n') : [],
  };
  if (r.code !== 0) {
    res.failed = true;
    res.msg = r.code === null ? `killed by signal ${r.signal}` : 'non-zero return code';
  }
  return res;
}

async function execute(ctx: ModuleContext, argv: string[], a: { chdir?: string; stdin?: string; stdin_add_newline: boolean; strip_empty_ends: boolean }): Promise<ModuleResult> {
  const full = a.chdir ? ['sh', '-c', CHDIR, 'sh', a.chdir, ...argv] : argv;
  const stdin = a.stdin === undefined ? undefined : a.stdin + (a.stdin_add_newline ? '\n' : '');
  return outcome(await ctx.run(full, { stdin }), a.strip_empty_ends);
}

const checkSkip: ModuleResult = { changed: false, skipped: true, msg: 'Command would have run if not in check mode' };

export const command: ModuleDef<typeof commandArgs> = {
  name: 'command',
  aliases: ['ansible.builtin.command', 'ansible.legacy.command'],
  args: commandArgs,
  freeForm: 'command',
  async run(ctx, a) {
    const argv = a.argv ?? (a.cmd !== undefined ? splitCommand(a.cmd) : []);
    if (!argv.length || (a.argv && a.cmd !== undefined)) throw new ModuleFailure('command needs exactly one of cmd (or free-form text) and argv');
    const skip = await guard(ctx, a);
    if (skip) return skip;
    if (ctx.check) return checkSkip;
    return { cmd: argv, ...(await execute(ctx, argv, a)) };
  },
};

export const shell: ModuleDef<typeof shellArgs> = {
  name: 'shell',
  aliases: ['ansible.builtin.shell', 'ansible.legacy.shell'],
  args: shellArgs,
  freeForm: 'command',
  async run(ctx, a) {
    if (a.cmd === undefined || !a.cmd.trim()) throw new ModuleFailure('shell needs a command line (cmd or free-form text)');
    const skip = await guard(ctx, a);
    if (skip) return skip;
    if (ctx.check) return checkSkip;
    return { cmd: a.cmd, ...(await execute(ctx, [a.executable ?? '/bin/sh', '-c', a.cmd], a)) };
  },
};
