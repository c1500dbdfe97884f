// Runs a parsed playbook on Bramble's nodes: hosts in parallel (up to `forks`),
// each host's tasks in order without waiting for the others (Ansible's `free`
// strategy), handlers at the end of the play or at flush_handlers. A host whose
// connection dies is unreachable and stops; the others carry on.
import { randomBytes } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import type { FleetNode } from '../../../shared/fleet';
import { commandLine, ExecError, type ExecResult, type RemoteExec } from '../ssh/remote-exec';
import { emptyHostRecap, type ProvisionEvent, type Recap, type TaskOutput, type TaskStatus } from './events';
import { allGroups, limitHosts, selectHosts, type InventoryView } from './hosts';
import { findModule, LOCAL_MODULES } from './modules';
import { ModuleFailure, type ModuleContext, type ModuleResult, type RunOptions } from './modules/types';
import type { Play, Playbook, Task } from './playbook';
import { lazyVars, pyRepr, Templar, TemplateError, toBool, Unsafe } from './template';

export interface RunPlaybookOptions {
  playbook: Playbook;
  nodes: FleetNode[];
  /** Ansible group vars by group name (`all` applies to every node). */
  groupVars?: Record<string, Record<string, unknown>>;
  /** A connection to the node; called again after a reboot. */
  connect(node: FleetNode): Promise<RemoteExec>;
  check?: boolean;
  limit?: string | string[];
  tags?: string[];
  skipTags?: string[];
  /** Hosts worked on at once (default 16). */
  forks?: number;
  /** For sudo when a node asks for one; sent on stdin (sudo -S), never on a command line. */
  becomePassword?: string;
  extraVars?: Record<string, unknown>;
  signal?: AbortSignal;
  onEvent?: (ev: ProvisionEvent) => void;
  /** lookup('env', ...) reads this (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Longest a single remote command may take (default 10 minutes; apt installs ask for more). */
  commandTimeoutMs?: number;
}

interface HostRun {
  node: FleetNode;
  exec?: RemoteExec;
  /** register and set_fact results; they outlive the play, like Ansible's. */
  facts: Record<string, unknown>;
  gathered?: Record<string, unknown>;
  /** Failed or unreachable: no later task or play runs on it. */
  out: boolean;
  /** Unreachable: not even a block's rescue or always runs on it (as in Ansible). */
  unreachable?: boolean;
  sudoNeedsPassword?: boolean;
}

class Unreachable extends Error {}

const FACTS_SCRIPT = [
  'printf "hostname=%s\\n" "$(hostname)"',
  'printf "fqdn=%s\\n" "$(hostname -f 2>/dev/null || hostname)"',
  'printf "machine=%s\\n" "$(uname -m)"',
  'printf "kernel=%s\\n" "$(uname -r)"',
  'printf "system=%s\\n" "$(uname -s)"',
  'printf "user=%s\\n" "$(id -un)"',
  'printf "uid=%s\\n" "$(id -u)"',
  'printf "home=%s\\n" "$HOME"',
  'printf "shell=%s\\n" "$SHELL"',
  'printf "path=%s\\n" "$PATH"',
  'echo ---',
  'cat /etc/os-release 2>/dev/null; exit 0',
].join('; ');

/** The small fact set Bramble gathers in one command (what playbooks use most). */
export function parseFacts(stdout: string): Record<string, unknown> {
  const [head = '', osRelease = ''] = stdout.split('---\n');
  const kv = (text: string) =>
    Object.fromEntries(
      text
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/^"(.*)"$/, '$1')]),
    ) as Record<string, string>;
  const h = kv(head);
  const os = kv(osRelease);
  const version = os.VERSION_ID ?? '';
  const distro = os.ID === 'raspbian' || /raspbian|debian/i.test(os.NAME ?? '') ? 'Debian' : (os.NAME ?? '').split(' ')[0] ?? '';
  return {
    hostname: (h.hostname ?? '').split('.')[0],
    nodename: h.hostname,
    fqdn: h.fqdn,
    architecture: h.machine,
    machine: h.machine,
    kernel: h.kernel,
    system: h.system,
    distribution: distro,
    distribution_release: os.VERSION_CODENAME ?? '',
    distribution_version: version,
    distribution_major_version: version.split('.')[0] ?? '',
    os_family: /debian|raspbian|ubuntu/i.test(`${os.ID} ${os.ID_LIKE ?? ''}`) ? 'Debian' : distro,
    user_id: h.user,
    user_uid: Number(h.uid),
    user_dir: h.home,
    user_shell: h.shell,
    env: { HOME: h.home, USER: h.user, PATH: h.path, SHELL: h.shell },
  };
}

/** Ansible's tag rules: `all` matches untagged and tagged tasks, `never` only when asked for, `always` unless skipped. */
export function tagsSelect(taskTags: string[], tags: string[] | undefined, skipTags: string[] | undefined): boolean {
  const t = new Set(taskTags);
  if (skipTags?.some((s) => t.has(s) || (s === 'all' && !t.has('always')) || (s === 'tagged' && t.size > 0) || (s === 'untagged' && t.size === 0))) return false;
  if (!tags || tags.length === 0 || tags.includes('all')) return !t.has('never') || (tags ?? []).some((x) => t.has(x) && x !== 'all');
  if (t.has('always')) return true;
  return tags.some((x) => t.has(x) || (x === 'tagged' && t.size > 0) || (x === 'untagged' && t.size === 0));
}

export async function runPlaybook(o: RunPlaybookOptions): Promise<Recap> {
  const pb = o.playbook;
  const templar = new Templar({ baseDir: pb.baseDir, env: o.env });
  const emit = (ev: ProvisionEvent) => {
    try {
      o.onEvent?.(ev);
    } catch {
      // A listener's bug must not stop a run half-way.
    }
  };
  const inv: InventoryView = {
    hosts: o.nodes.map((n) => n.name),
    groups: {},
  };
  for (const n of o.nodes) for (const g of n.groups) (inv.groups[g] ??= []).push(n.name);
  const groupsMap = allGroups(inv);
  const groupVars = o.groupVars ?? {};
  const omit = `__omit_place_holder__${randomBytes(20).toString('hex')}`;
  const hosts = new Map<string, HostRun>(o.nodes.map((n) => [n.name, { node: n, facts: {}, out: false }]));
  const recap: Recap = {};
  const count = (host: string, k: keyof Recap[string]) => {
    (recap[host] ??= emptyHostRecap())[k]++;
  };
  const forks = Math.max(1, o.forks ?? 16);
  const timeoutMs = o.commandTimeoutMs ?? 10 * 60_000;

  /** Inventory-level variables of a host (group vars, host vars, facts), as hostvars shows them. */
  function inventoryLayers(h: HostRun): { vars: Record<string, unknown>; plain?: boolean }[] {
    const n = h.node;
    const memberOf = Object.keys(groupVars)
      .filter((g) => g !== 'all' && n.groups.includes(g))
      .sort();
    const facts = h.gathered ?? {};
    return [
      { vars: { ansible_host: n.host, ansible_port: n.port, ansible_user: n.user } },
      { vars: groupVars.all ?? {} },
      ...memberOf.map((g) => ({ vars: groupVars[g]! })),
      { vars: n.vars },
      {
        vars: { ...Object.fromEntries(Object.entries(facts).map(([k, v]) => [`ansible_${k}`, v])), ansible_facts: facts },
        plain: true,
      },
    ];
  }

  const hostvars: Record<string, unknown> = {};
  for (const [name, h] of hosts) {
    Object.defineProperty(hostvars, name, {
      enumerable: true,
      get: () => lazyVars(templar, [...inventoryLayers(h), { vars: h.facts, plain: true }, { vars: { inventory_hostname: name }, plain: true }]),
    });
  }

  function taskVars(h: HostRun, play: Play, playHosts: string[], task: Task | undefined, extra: Record<string, unknown> = {}, check = false) {
    const name = h.node.name;
    return lazyVars(templar, [
      // Roles' defaults rank below everything, inventory included (a task's own role's first).
      { vars: { ...play.roleDefaults, ...task?.role?.defaults } },
      ...inventoryLayers(h),
      { vars: play.vars },
      { vars: play.roleVars },
      { vars: task?.vars ?? {} },
      { vars: h.facts, plain: true },
      { vars: o.extraVars ?? {} },
      {
        vars: {
          inventory_hostname: name,
          inventory_hostname_short: name.split('.')[0],
          group_names: h.node.groups.slice().sort(),
          groups: groupsMap,
          hostvars,
          ansible_play_hosts: playHosts,
          ansible_play_hosts_all: playHosts,
          ansible_play_batch: playHosts,
          play_hosts: playHosts,
          ansible_play_name: play.name,
          ansible_check_mode: check,
          playbook_dir: pb.baseDir,
          // What Ansible's template module puts in {{ ansible_managed }} by default.
          ansible_managed: 'Ansible managed',
          omit,
          ...extra,
        },
        plain: true,
      },
    ]);
  }

  async function execFor(h: HostRun): Promise<RemoteExec> {
    if (h.exec) return h.exec;
    try {
      h.exec = await o.connect(h.node);
      return h.exec;
    } catch (e) {
      throw new Unreachable(`Failed to connect to ${h.node.name} (${h.node.host}:${h.node.port}): ${(e as Error).message}`);
    }
  }

  async function remote(h: HostRun, argv: string[], opts: RunOptions & { become: boolean; becomeUser?: string }): Promise<ExecResult> {
    const exec = await execFor(h);
    let stdin = opts.stdin;
    if (opts.become && !opts.noBecome) {
      const asUser = opts.becomeUser && opts.becomeUser !== 'root' ? ['-u', opts.becomeUser] : [];
      if (o.becomePassword !== undefined && h.sudoNeedsPassword === undefined) {
        // Only a sudo that needs a password may get one on stdin: with NOPASSWD it would reach the command as data.
        const probe = await run(exec, ['sudo', '-n', 'true'], {});
        h.sudoNeedsPassword = probe.code !== 0;
      }
      if (o.becomePassword !== undefined && h.sudoNeedsPassword) {
        // -k: always ask, so the password line is always consumed by sudo, never passed on.
        argv = ['sudo', '-k', '-S', '-p', '', ...asUser, '--', ...argv];
        stdin = Buffer.concat([Buffer.from(`${o.becomePassword}\n`), Buffer.from(stdin ?? '')]);
      } else {
        argv = ['sudo', '-n', ...asUser, '--', ...argv];
      }
    }
    return run(exec, argv, { stdin, timeoutMs: opts.timeoutMs });
  }

  async function run(exec: RemoteExec, argv: string[], opts: { stdin?: string | Buffer; timeoutMs?: number }): Promise<ExecResult> {
    try {
      return await exec.exec(commandLine(argv), { stdin: opts.stdin, timeoutMs: opts.timeoutMs ?? timeoutMs, signal: o.signal });
    } catch (e) {
      if (e instanceof ExecError && (e.kind === 'lost' || e.kind === 'offline')) throw new Unreachable(e.message);
      throw e;
    }
  }

  function outputOf(r: ModuleResult): TaskOutput | undefined {
    const out: TaskOutput = {};
    if (r.rc !== undefined) out.rc = r.rc;
    if (typeof r.stdout === 'string') out.stdout = r.stdout;
    if (typeof r.stderr === 'string') out.stderr = r.stderr;
    if (r.diff) out.diff = r.diff;
    return Object.keys(out).length ? out : undefined;
  }

  /** One run of a module (one loop item). */
  async function execute(h: HostRun, play: Play, task: Task, vars: Record<string, unknown>, checkDefault: boolean): Promise<ModuleResult> {
    const mod = findModule(task.module)!;
    const rawArgs = templar.value(task.args, vars) as Record<string, unknown>;
    const args = Object.fromEntries(Object.entries(rawArgs).filter(([, v]) => v !== omit));
    const parsed = mod.args.safeParse(args);
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      return { changed: false, failed: true, msg: `${mod.name}: ${msg}` };
    }
    const become = toBool(templar.value(task.become ?? play.become, vars));
    const becomeUser = (task.becomeUser ?? play.becomeUser) as string | undefined;
    const check = task.checkMode !== undefined ? toBool(templar.value(task.checkMode, vars)) : checkDefault;
    let env: string[];
    try {
      env = environmentOf([...play.environment, ...task.environment], vars);
    } catch (e) {
      // A failed result like any other, so ignore_errors and rescue apply.
      if (e instanceof ModuleFailure || e instanceof TemplateError) return { changed: false, failed: true, msg: e.message };
      throw e;
    }
    const ctx: ModuleContext = {
      host: h.node.name,
      check,
      remoteUser: h.node.user,
      // `env NAME=VALUE… command`, inside sudo so sudo's env_reset does not drop them; every value an argument of its own.
      run: (argv, ro = {}) =>
        remote(h, env.length ? ['env', ...env, ...argv] : argv, { ...ro, become: become && !LOCAL_MODULES.has(mod.name), becomeUser: becomeUser && String(templar.value(becomeUser, vars)) }),
      readLocal: (rel, kind) => templar.readLocal(rel, kind, task.role?.dir),
      render: (src) => templar.renderString(src, vars),
      reconnect: async (ms) => {
        h.exec = undefined;
        const exec = await Promise.race([
          execFor(h),
          new Promise<never>((_, rej) => setTimeout(() => rej(new Error('connect timed out')), ms).unref()),
        ]);
        h.exec = exec;
      },
      setFacts: (f) => Object.assign(h.facts, f),
      vars,
      evaluate: (expr) => templar.evaluate(expr, vars),
      signal: o.signal,
    };
    try {
      return await mod.run(ctx, parsed.data);
    } catch (e) {
      if (e instanceof ModuleFailure) return { changed: false, ...e.details, failed: true, msg: e.message };
      if (e instanceof TemplateError) return { changed: false, failed: true, msg: e.message };
      if (e instanceof ExecError) return { changed: false, failed: true, msg: e.kind === 'aborted' ? 'cancelled' : e.message, ...(e.partial ?? {}) };
      throw e;
    }
  }

  /** NAME=VALUE pairs from environment mappings (later ones win), each name checked. */
  function environmentOf(layers: unknown[], vars: Record<string, unknown>): string[] {
    const merged: Record<string, unknown> = {};
    for (const layer of layers) {
      const v = templar.value(layer, vars);
      if (v === null || v === undefined) continue;
      if (typeof v !== 'object' || Array.isArray(v)) throw new ModuleFailure('environment must be a mapping of variable names to values');
      Object.assign(merged, v);
    }
    return Object.entries(merged).map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new ModuleFailure(`environment: ${JSON.stringify(k)} is not a variable name`);
      // Python's str(), as Ansible passes them: True, None, [1, 'two'].
      return `${k}=${typeof v === 'string' ? v : v instanceof Unsafe ? v.value : pyRepr(v)}`;
    });
  }

  /** retries/until/delay: the task again until its condition holds (the result visible under its register name), as Ansible does. */
  async function untilDone(h: HostRun, play: Play, task: Task, vars: Record<string, unknown>, check: boolean): Promise<ModuleResult> {
    const u = task.until!;
    const retries = Math.max(0, Number(templar.value(u.retries, vars)) || 0);
    const delay = Math.max(0, Number(templar.value(u.delay, vars)) || 0);
    let r: ModuleResult = { changed: false };
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      r = applyOverrides(task, vars, await execute(h, play, task, vars, check));
      if (task.register) vars[task.register] = r;
      // The condition decides, failed or not (a task may be expected to fail until…); the result keeps its own status.
      if (u.conditions.every((c) => templar.condition(c, vars))) return { ...r, attempts: attempt };
      if (attempt <= retries) await wait(delay * 1000, undefined, { signal: o.signal }).catch(() => undefined);
      if (o.signal?.aborted) break;
    }
    return { ...r, failed: true, attempts: retries + 1, msg: typeof r.msg === 'string' && r.failed ? r.msg : `Still not true after ${retries} retries: ${u.conditions.map(String).join(' and ')}` };
  }

  /** changed_when / failed_when, with the result visible under its register name. */
  function applyOverrides(task: Task, vars: Record<string, unknown>, r: ModuleResult): ModuleResult {
    if (!task.changedWhen && !task.failedWhen) return r;
    if (task.register) (vars as Record<string, unknown>)[task.register] = r;
    const out = { ...r };
    if (task.changedWhen) out.changed = task.changedWhen.every((c) => templar.condition(c, vars));
    if (task.failedWhen) out.failed = task.failedWhen.some((c) => templar.condition(c, vars));
    return out;
  }

  function loopItems(task: Task, vars: Record<string, unknown>): unknown[] {
    const raw = task.loop as unknown;
    if (raw && typeof raw === 'object' && '__withItems' in (raw as object)) {
      const v = templar.value((raw as { __withItems: unknown }).__withItems, vars);
      const list = Array.isArray(v) ? v : [v];
      return list.flatMap((x) => (Array.isArray(x) ? x : [x]));
    }
    const v = templar.value(raw, vars);
    if (!Array.isArray(v)) throw new TemplateError(`Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(v)}`);
    return v;
  }

  /** Runs one task on one host; returns false when the host must stop. */
  /** `rescuable`: inside a block with a rescue, where a failure counts as rescued, not failed (Ansible's stats). */
  async function runTask(h: HostRun, play: Play, playHosts: string[], task: Task, notified: Set<string>, rescuable = false): Promise<boolean> {
    const host = h.node.name;
    const started = Date.now();
    const check = !!o.check;
    emit({ type: 'task-start', play: play.name, task: task.name, host });
    const finish = (status: TaskStatus, r: Partial<ModuleResult>, output?: TaskOutput, ignored = false) => {
      if (status === 'failed' && !ignored) h.facts = { ...h.facts, ansible_failed_task: { name: task.name }, ansible_failed_result: r };
      if (ignored) count(host, 'ignored');
      else if (status === 'failed' && rescuable) count(host, 'rescued');
      else if (status === 'changed') {
        count(host, 'ok');
        count(host, 'changed');
      } else if (status === 'ok') count(host, 'ok');
      else if (status === 'skipped') count(host, 'skipped');
      else if (status === 'failed') count(host, 'failed');
      else count(host, 'unreachable');
      const msg = task.noLog ? (status === 'failed' ? 'the output has been hidden due to no_log: true' : undefined) : typeof r.msg === 'string' ? r.msg : undefined;
      emit({ type: 'task-result', play: play.name, task: task.name, host, status, ...(ignored ? { ignored } : {}), ...(msg ? { msg } : {}), ...(output && !task.noLog ? { output } : {}), durationMs: Date.now() - started });
    };
    try {
      const vars = taskVars(h, play, playHosts, task, {}, check);
      const when = (v: Record<string, unknown>) => task.when.every((c) => templar.condition(c, v));
      let result: ModuleResult;
      let output: TaskOutput | undefined;
      if (task.loop !== undefined) {
        const items = loopItems(task, vars);
        const results: ModuleResult[] = [];
        const itemReports: NonNullable<TaskOutput['items']> = [];
        for (const [i, item] of items.entries()) {
          const extra: Record<string, unknown> = {
            [task.loopVar]: item,
            ansible_loop_var: task.loopVar,
            ...(task.indexVar ? { [task.indexVar]: i } : {}),
            ansible_loop: { index: i + 1, index0: i, first: i === 0, last: i === items.length - 1, length: items.length },
          };
          const iv = taskVars(h, play, playHosts, task, extra, check);
          let r: ModuleResult;
          if (!when(iv)) r = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
          else r = applyOverrides(task, iv, await execute(h, play, task, iv, check));
          r = { ...r, [task.loopVar]: item, item, ansible_loop_var: task.loopVar };
          results.push(r);
          const label = task.loopLabel !== undefined ? templar.value(task.loopLabel, iv) : item;
          itemReports.push({ item: label, status: r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok', ...(typeof r.msg === 'string' ? { msg: r.msg } : {}) });
        }
        const failed = results.some((r) => r.failed);
        result = {
          changed: results.some((r) => r.changed),
          ...(failed ? { failed: true, msg: 'One or more items failed' } : {}),
          ...(results.length > 0 && results.every((r) => r.skipped) ? { skipped: true, msg: 'All items skipped' } : {}),
          ...(results.length === 0 ? { skipped: true, msg: 'No items in the list' } : {}),
          results,
        };
        output = { items: itemReports };
      } else {
        if (!when(vars)) {
          result = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
        } else {
          result = task.until ? await untilDone(h, play, task, vars, check) : applyOverrides(task, vars, await execute(h, play, task, vars, check));
          output = outputOf(result);
        }
      }
      if (task.register) h.facts[task.register] = result;
      if (result.ansible_facts && typeof result.ansible_facts === 'object' && task.module !== 'set_fact') {
        Object.assign(h.gathered ?? (h.gathered = {}), Object.fromEntries(Object.entries(result.ansible_facts as object).map(([k, v]) => [k.replace(/^ansible_/, ''), v])));
      }
      if (result.failed) {
        const ignored = toBool(templar.value(task.ignoreErrors, vars));
        finish('failed', result, output, ignored);
        return ignored;
      }
      if (result.skipped) {
        finish('skipped', result, output);
        return true;
      }
      if (result.changed) for (const n of task.notify) notified.add(String(templar.value(n, vars)));
      finish(result.changed ? 'changed' : 'ok', result, output);
      return true;
    } catch (e) {
      if (e instanceof Unreachable) {
        h.unreachable = true;
        finish('unreachable', { msg: e.message });
        return false;
      }
      if (e instanceof TemplateError) {
        const vars = taskVars(h, play, playHosts, task, {}, check);
        const ignored = (() => {
          try {
            return toBool(templar.value(task.ignoreErrors, vars));
          } catch {
            return false;
          }
        })();
        finish('failed', { msg: `The task includes an error: ${e.message}` }, undefined, ignored);
        return ignored;
      }
      finish('failed', { msg: e instanceof Error ? e.message : String(e) });
      return false;
    }
  }

  async function gatherFacts(h: HostRun, play: Play): Promise<boolean> {
    const host = h.node.name;
    if (h.gathered && Object.keys(h.gathered).length > 2) {
      count(host, 'ok');
      emit({ type: 'task-result', play: play.name, task: 'Gathering Facts', host, status: 'ok', durationMs: 0 });
      return true;
    }
    const started = Date.now();
    emit({ type: 'task-start', play: play.name, task: 'Gathering Facts', host });
    try {
      const exec = await execFor(h);
      const r = await run(exec, ['sh', '-c', FACTS_SCRIPT], {});
      h.gathered = { ...parseFacts(r.stdout), ...(h.gathered ?? {}) };
      count(host, 'ok');
      emit({ type: 'task-result', play: play.name, task: 'Gathering Facts', host, status: 'ok', durationMs: Date.now() - started });
      return true;
    } catch (e) {
      const unreachable = e instanceof Unreachable;
      count(host, unreachable ? 'unreachable' : 'failed');
      emit({ type: 'task-result', play: play.name, task: 'Gathering Facts', host, status: unreachable ? 'unreachable' : 'failed', msg: (e as Error).message, durationMs: Date.now() - started });
      return false;
    }
  }

  async function runHandlers(h: HostRun, play: Play, playHosts: string[], notified: Set<string>): Promise<boolean> {
    for (const handler of play.handlers) {
      if (o.signal?.aborted) return false;
      if (!notified.has(handler.name) && !handler.listen.some((l) => notified.has(l))) continue;
      if (!(await runTask(h, play, playHosts, handler, new Set()))) return false;
    }
    notified.clear();
    return true;
  }

  /** Runs tasks in order until one fails; true when the host may go on. */
  async function runTasks(h: HostRun, play: Play, playHosts: string[], tasks: Task[], notified: Set<string>, rescuable = false): Promise<boolean> {
    for (const task of tasks) {
      if (o.signal?.aborted) return false;
      const ok = task.block
        ? await runBlock(h, play, playHosts, task.block, notified, rescuable)
        : task.module === 'meta'
          ? await runHandlers(h, play, playHosts, notified)
          : await runTask(h, play, playHosts, task, notified, rescuable);
      if (!ok) return false;
    }
    return true;
  }

  /** block, then rescue if a block task failed (not if the host became unreachable), then always. */
  async function runBlock(h: HostRun, play: Play, playHosts: string[], block: NonNullable<Task['block']>, notified: Set<string>, rescuable: boolean): Promise<boolean> {
    let ok = await runTasks(h, play, playHosts, block.tasks, notified, rescuable || block.rescue.length > 0);
    if (!ok && block.rescue.length > 0 && !h.unreachable && !o.signal?.aborted) ok = await runTasks(h, play, playHosts, block.rescue, notified, rescuable);
    if (h.unreachable || o.signal?.aborted) return false;
    const always = await runTasks(h, play, playHosts, block.always, notified, rescuable);
    return ok && always;
  }

  async function runHostPlay(h: HostRun, play: Play, playHosts: string[], tasks: Task[]): Promise<void> {
    recap[h.node.name] ??= emptyHostRecap();
    if (play.gatherFacts && !(await gatherFacts(h, play))) {
      h.out = true;
      return;
    }
    const notified = new Set<string>();
    if (!(await runTasks(h, play, playHosts, tasks, notified))) {
      h.out = true;
      return;
    }
    if (!(await runHandlers(h, play, playHosts, notified))) h.out = true;
  }

  /** The tasks the tag filter keeps; a block stays while any of its tasks does. */
  function selectByTags(tasks: Task[], playTags: string[]): Task[] {
    return tasks.flatMap((t) => {
      if (t.module === 'meta') return [t];
      if (!t.block) return tagsSelect([...playTags, ...t.tags], o.tags, o.skipTags) ? [t] : [];
      const block = { tasks: selectByTags(t.block.tasks, playTags), rescue: selectByTags(t.block.rescue, playTags), always: selectByTags(t.block.always, playTags) };
      return block.tasks.length + block.rescue.length + block.always.length > 0 ? [{ ...t, block }] : [];
    });
  }

  for (const play of pb.plays) {
    if (o.signal?.aborted) break;
    const selected = limitHosts(inv, selectHosts(inv, play.hosts), o.limit).filter((n) => !hosts.get(n)!.out);
    emit({ type: 'play-start', play: play.name, hosts: selected });
    const tasks = selectByTags(play.tasks, play.tags);
    if (!selected.length) continue;
    let next = 0;
    const worker = async () => {
      while (next < selected.length && !o.signal?.aborted) {
        const h = hosts.get(selected[next++]!)!;
        await runHostPlay(h, play, selected, tasks);
      }
    };
    await Promise.all(Array.from({ length: Math.min(forks, selected.length) }, worker));
  }
  emit({ type: 'recap', recap });
  return recap;
}
