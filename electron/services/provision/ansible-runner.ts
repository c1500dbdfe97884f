// Running a playbook with ansible-playbook itself (when it is installed) on an
// exported project, reading its results through Bramble's JSON-lines callback
// into the same events and recap as Bramble's own runner.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ProvisionEvent, Recap } from './events';

/** The ansible-playbook on PATH and its version, or undefined. */
export function findAnsiblePlaybook(env: NodeJS.ProcessEnv = process.env): { path: string; version: string } | undefined {
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8', env });
  if (r.status !== 0) return undefined;
  const version = /core ([\d.]+)/.exec(r.stdout)?.[1] ?? /ansible-playbook ([\d.]+)/.exec(r.stdout)?.[1] ?? 'unknown';
  const where = /executable location = (.+)/.exec(r.stdout)?.[1]?.trim() ?? 'ansible-playbook';
  return { path: where, version };
}

export interface AnsibleRunOptions {
  /** A folder written by exportAnsibleProject. */
  projectDir: string;
  /** Playbook file name inside the project. */
  playbook: string;
  check?: boolean;
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  forks?: number;
  extraVars?: Record<string, unknown>;
  /** Given to ansible-playbook through a 0600 file that is removed afterwards. */
  becomePassword?: string;
  signal?: AbortSignal;
  onEvent?: (ev: ProvisionEvent) => void;
  /** Lines ansible-playbook printed that were not events (warnings, errors). */
  onLog?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface AnsibleRunResult {
  recap: Recap;
  exitCode: number | null;
}

export async function runWithAnsible(o: AnsibleRunOptions): Promise<AnsibleRunResult> {
  const args = ['-i', 'inventory.yml', o.playbook];
  if (o.check) args.push('--check');
  if (o.limit) args.push('--limit', o.limit);
  if (o.tags?.length) args.push('--tags', o.tags.join(','));
  if (o.skipTags?.length) args.push('--skip-tags', o.skipTags.join(','));
  if (o.forks) args.push('--forks', String(o.forks));
  if (o.extraVars && Object.keys(o.extraVars).length) args.push('--extra-vars', JSON.stringify(o.extraVars));
  let secretDir: string | undefined;
  if (o.becomePassword !== undefined) {
    secretDir = mkdtempSync(path.join(tmpdir(), 'bramble-become-'));
    const file = path.join(secretDir, 'password');
    writeFileSync(file, o.becomePassword, { mode: 0o600 });
    args.push('--become-password-file', file);
  }
  const env = {
    ...(o.env ?? process.env),
    ANSIBLE_CONFIG: path.join(o.projectDir, 'ansible.cfg'),
    ANSIBLE_STDOUT_CALLBACK: 'bramble_jsonl',
    ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_NOCOLOR: '1',
    PYTHONUNBUFFERED: '1',
  };
  try {
    const child = spawn('ansible-playbook', args, { cwd: o.projectDir, env, stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal });
    let recap: Recap = {};
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let ev: ProvisionEvent | undefined;
      try {
        const v = JSON.parse(line) as ProvisionEvent;
        if (v && typeof v === 'object' && typeof v.type === 'string') ev = v;
      } catch {
        /* not an event */
      }
      if (!ev) return o.onLog?.(line);
      if (ev.type === 'recap') recap = ev.recap;
      o.onEvent?.(ev);
    });
    createInterface({ input: child.stderr! }).on('line', (l) => o.onLog?.(l));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', (e) => (e.name === 'AbortError' ? resolve(null) : reject(e)));
      child.on('close', (code) => resolve(code));
    });
    return { recap, exitCode };
  } finally {
    if (secretDir) rmSync(secretDir, { recursive: true, force: true });
  }
}
