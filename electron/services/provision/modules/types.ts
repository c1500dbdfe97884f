// What a module gets from the runner and what it hands back. A module checks the
// node's state with read-only commands, then changes only what differs; in
// check mode it reports what it would change and changes nothing.
import type { z } from 'zod';
import type { ExecResult } from '../../ssh/remote-exec';

export interface RunOptions {
  /** Data for the command's stdin (file contents): never part of the command line. */
  stdin?: string | Buffer;
  timeoutMs?: number;
  /** Run without become even when the task has it (reading the controller user's own files). */
  noBecome?: boolean;
}

export interface ModuleContext {
  /** Inventory name of the node. */
  host: string;
  check: boolean;
  /** Run argv on the node (through sudo when the task uses become). */
  run(argv: string[], opts?: RunOptions): Promise<ExecResult>;
  /** Controller-side file for copy/template src, relative to the playbook. */
  readLocal(rel: string, kind: 'files' | 'templates'): string;
  /** Render a template with the task's variables. */
  render(source: string): string;
  /** Drop the node's connection and connect again (after a reboot); resolves when it answers. */
  reconnect(timeoutMs: number): Promise<void>;
  /** The login user on the node (authorized_key default, `~` in paths). */
  remoteUser: string;
  /** Values for set_fact (runner-side modules only). */
  setFacts(facts: Record<string, unknown>): void;
  /** The task's variables (debug var=, assert). */
  vars: object;
  evaluate(expr: string): unknown;
  signal?: AbortSignal;
}

export interface ModuleResult {
  changed: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: string;
  rc?: number | null;
  stdout?: string;
  stderr?: string;
  diff?: { before: string; after: string };
  /** Anything else a module reports (registered with the result). */
  [key: string]: unknown;
}

export interface ModuleDef<S extends z.ZodType = z.ZodType> {
  name: string;
  /** Other names playbooks use for it (ansible.builtin.*, ansible.posix.*). */
  aliases: string[];
  /** Arguments after templating; `.strict()` so unknown keys are errors. */
  args: S;
  /** Ansible's alternative argument names (dest for path, pkg for name...). */
  argAliases?: Record<string, string>;
  /** How a string value (`command: echo hi`, `apt: name=vim`) is read. */
  freeForm?: 'command' | 'kv';
  run(ctx: ModuleContext, args: z.infer<S>): Promise<ModuleResult>;
}

/** A module failure the module detected itself (bad state, a command that failed). */
export class ModuleFailure extends Error {
  constructor(
    message: string,
    readonly details: Partial<ModuleResult> = {},
  ) {
    super(message);
    this.name = 'ModuleFailure';
  }
}

/** Fail unless the command exited 0, with its output in the result. */
export function ensureOk(r: ExecResult, what: string): ExecResult {
  if (r.code !== 0) {
    const detail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ');
    throw new ModuleFailure(`${what} failed (exit ${r.code ?? r.signal})${detail ? `: ${detail}` : ''}`, { rc: r.code, stdout: r.stdout, stderr: r.stderr });
  }
  return r;
}
