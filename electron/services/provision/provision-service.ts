// Provisioning for the app and the CLI: which playbooks there are, running one
// on chosen nodes with Bramble's runner over the fleet's connections (or with
// ansible-playbook on an exported project), live events, and a run history.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../storage/write-atomic';
import type { FleetNode } from '../../../shared/fleet';
import type { PlaybookInfo, ProvisionEventView, ProvisionRun } from '../../../shared/provision';
import type { Emit } from '../event-hub';
import type { FleetService } from '../fleet/fleet-service';
import type { Inventory } from '../fleet/inventory';
import { ExecError } from '../ssh/remote-exec';
import { UserError } from '../user-error';
import { exportAnsibleProject } from './ansible-export';
import { findAnsiblePlaybook, runWithAnsible } from './ansible-runner';
import { BUILTIN_PLAYBOOKS, builtinPlaybookPath } from './builtin';
import { recapSucceeded, type ProvisionEvent } from './events';
import { allTasks, parsePlaybook, PlaybookError, type Playbook } from './playbook';
import { runPlaybook } from './runner';

export interface ProvisionRequest {
  playbook: string;
  nodes: string[];
  check: boolean;
  engine: 'bramble' | 'ansible';
  tags?: string[];
  skipTags?: string[];
  extraVars?: Record<string, string>;
  becomePassword?: string;
  forks?: number;
}

export interface ProvisionServiceOptions {
  fleet: FleetService;
  inventory: Inventory;
  emit: Emit;
  dataDir: string;
  assetsDir: string;
  knownHostsPath: string;
}

/** Runs kept per node in the history; older ones are deleted. */
const HISTORY_LIMIT = 100;
/** Output kept per task result in history, so a noisy apt run does not fill the disk. */
const OUTPUT_LIMIT = 16_384;

export class ProvisionService {
  private readonly running = new Map<string, { run: ProvisionRun; abort: AbortController; done: Promise<ProvisionRun> }>();
  private readonly runsDir: string;
  private readonly recentFile: string;

  constructor(private readonly o: ProvisionServiceOptions) {
    this.runsDir = path.join(o.dataDir, 'provision-runs');
    this.recentFile = path.join(o.dataDir, 'playbooks.json');
  }

  playbooks(): PlaybookInfo[] {
    const builtins = BUILTIN_PLAYBOOKS.map((b) => this.describe(builtinPlaybookPath(this.o.assetsDir, b.id), { id: `builtin:${b.id}`, title: b.title, description: b.description, source: 'builtin', requiredVars: b.requiredVars }));
    const files = this.recent().flatMap((file) => {
      try {
        return [this.inspect(file, false)];
      } catch {
        return []; // moved or broken since: not offered
      }
    });
    return [...builtins, ...files];
  }

  /** Reads a playbook file and says what it does, or why Bramble cannot run it. */
  inspect(file: string, remember = true): PlaybookInfo {
    const info = this.describe(file, { id: file, title: path.basename(file), description: file, source: 'file', requiredVars: [] });
    if (remember) void this.remember(file);
    return info;
  }

  ansible(): { path?: string; version?: string } {
    return findAnsiblePlaybook() ?? {};
  }

  start(req: ProvisionRequest): { runId: string } {
    const file = this.resolve(req.playbook);
    const playbook = this.load(file);
    const nodes = this.nodes(req.nodes);
    const runId = randomUUID();
    const abort = new AbortController();
    const title = req.playbook.startsWith('builtin:') ? (BUILTIN_PLAYBOOKS.find((b) => `builtin:${b.id}` === req.playbook)?.title ?? req.playbook) : path.basename(file);
    const run: ProvisionRun = {
      runId,
      playbook: req.playbook,
      title,
      engine: req.engine,
      check: req.check,
      ...(req.tags?.length ? { tags: req.tags } : {}),
      ...(req.skipTags?.length ? { skipTags: req.skipTags } : {}),
      nodes: nodes.map((n) => n.name),
      startedAt: Date.now(),
      state: 'running',
      events: [],
    };
    const onEvent = (event: ProvisionEvent) => {
      const seq = run.events.push(trimEvent(event)) - 1;
      this.o.emit('provision:event', { runId, seq, event });
    };
    const done = this.execute(req, file, playbook, nodes, abort.signal, onEvent).then(
      (recap) => ({ ...run, recap, state: abort.signal.aborted ? 'cancelled' : recapSucceeded(recap) ? 'done' : 'failed', endedAt: Date.now() }) as ProvisionRun,
      (e: Error) => ({ ...run, state: abort.signal.aborted ? 'cancelled' : 'failed', error: e.message, endedAt: Date.now() }) as ProvisionRun,
    );
    const finished = done.then(async (final) => {
      final.events = run.events;
      this.running.delete(runId);
      // On disk first, so history asked for on `done` already holds this run.
      await this.save(final).catch(() => undefined);
      const { events: _events, ...summary } = final;
      this.o.emit('provision:done', summary);
      return final;
    });
    this.running.set(runId, { run, abort, done: finished });
    return { runId };
  }

  /** The runs still going, each with a copy of its events so far. */
  active(): ProvisionRun[] {
    return [...this.running.values()].map(({ run }) => ({ ...run, events: [...run.events] }));
  }

  /** Resolves with the finished run (the CLI waits on this). */
  wait(runId: string): Promise<ProvisionRun> {
    const r = this.running.get(runId);
    if (!r) throw new UserError('That provisioning run is not running.');
    return r.done;
  }

  cancel(runId: string): boolean {
    const r = this.running.get(runId);
    r?.abort.abort();
    return Boolean(r);
  }

  cancelAll(): void {
    for (const r of this.running.values()) r.abort.abort();
  }

  history(node: string): ProvisionRun[] {
    if (!existsSync(this.runsDir)) return [];
    return readdirSync(this.runsDir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => {
        try {
          return [JSON.parse(readFileSync(path.join(this.runsDir, f), 'utf8')) as ProvisionRun];
        } catch {
          return [];
        }
      })
      .filter((r) => r.nodes.includes(node))
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, HISTORY_LIMIT);
  }

  /** Writes the inventory, ansible.cfg and the playbook (with its files/ and templates/) into `dir`. */
  export(playbookId: string, names: string[], dir: string): { dir: string; files: string[] } {
    const file = this.resolve(playbookId);
    this.load(file);
    mkdirSync(dir, { recursive: true });
    const files = exportAnsibleProject(dir, {
      nodes: this.nodes(names),
      groupVars: this.o.inventory.groupVars(),
      knownHostsPath: this.o.knownHostsPath,
      playbooks: [{ name: exportName(file), path: file }],
    });
    return { dir, files };
  }

  private async execute(req: ProvisionRequest, file: string, playbook: Playbook, nodes: FleetNode[], signal: AbortSignal, onEvent: (e: ProvisionEvent) => void) {
    if (req.engine === 'ansible') {
      if (!findAnsiblePlaybook()) throw new UserError('ansible-playbook is not installed on this computer; run with Bramble instead, or install Ansible.');
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-ansible-'));
      try {
        exportAnsibleProject(dir, { nodes, groupVars: this.o.inventory.groupVars(), knownHostsPath: this.o.knownHostsPath, playbooks: [{ name: exportName(file), path: file }] });
        const r = await runWithAnsible({ projectDir: dir, playbook: exportName(file), check: req.check, limit: nodes.map((n) => n.name).join(','), tags: req.tags, skipTags: req.skipTags, forks: req.forks, extraVars: req.extraVars, becomePassword: req.becomePassword, signal, onEvent });
        return r.recap;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return runPlaybook({
      playbook,
      nodes,
      groupVars: this.o.inventory.groupVars(),
      connect: async (node) => {
        const c = this.o.fleet.connection(node.name);
        if (!c) throw new ExecError('offline', `${node.name} is not in the fleet`);
        // After a reboot task the node comes back on the same connection object.
        if (!c.online) await this.o.fleet.settled([node.name], 30_000);
        if (!c.online) throw new ExecError('offline', `${node.name} is ${c.status}${c.detail ? ` (${c.detail})` : ''}`);
        return c;
      },
      check: req.check,
      tags: req.tags,
      skipTags: req.skipTags,
      forks: req.forks,
      becomePassword: req.becomePassword,
      extraVars: req.extraVars,
      signal,
      onEvent,
    });
  }

  private resolve(id: string): string {
    if (id.startsWith('builtin:')) {
      const b = BUILTIN_PLAYBOOKS.find((p) => `builtin:${p.id}` === id);
      if (!b) throw new UserError(`Bramble has no built-in playbook called ${id.slice(8)}.`);
      return builtinPlaybookPath(this.o.assetsDir, b.id);
    }
    return path.resolve(id);
  }

  private load(file: string): Playbook {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(`Cannot read the playbook ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
    try {
      return parsePlaybook(text, { file });
    } catch (e) {
      if (e instanceof PlaybookError) throw new UserError(e.message);
      throw e;
    }
  }

  private describe(file: string, base: Omit<PlaybookInfo, 'path' | 'plays' | 'tags'>): PlaybookInfo {
    const pb = this.load(file);
    const tags = new Set(pb.plays.flatMap((p) => [...p.tags, ...allTasks(p.tasks).flatMap((t) => t.tags)]));
    return {
      ...base,
      path: file,
      plays: pb.plays.map((p) => ({ name: p.name, hosts: Array.isArray(p.hosts) ? p.hosts.join(',') : p.hosts, tasks: p.tasks.map((t) => t.name) })),
      tags: [...tags].sort(),
    };
  }

  private nodes(names: string[]): FleetNode[] {
    return names.map((n) => {
      const node = this.o.inventory.get(n);
      if (!node) throw new UserError(`There is no node called ${n} in the fleet.`);
      return node;
    });
  }

  private recent(): string[] {
    try {
      const list = JSON.parse(readFileSync(this.recentFile, 'utf8')) as unknown;
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  private async remember(file: string): Promise<void> {
    const list = [file, ...this.recent().filter((f) => f !== file)].slice(0, 20);
    await writeFileAtomic(this.recentFile, JSON.stringify(list, null, 2), { mode: 0o600 });
  }

  private async save(run: ProvisionRun): Promise<void> {
    mkdirSync(this.runsDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(path.join(this.runsDir, `${run.startedAt}-${run.runId}.json`), JSON.stringify(run), { mode: 0o600 });
    const files = readdirSync(this.runsDir).filter((f) => f.endsWith('.json')).sort();
    for (const old of files.slice(0, Math.max(0, files.length - HISTORY_LIMIT * 4))) rmSync(path.join(this.runsDir, old), { force: true });
  }
}

function exportName(file: string): string {
  const base = path.basename(file).replace(/[^A-Za-z0-9._-]/g, '_');
  return /\.ya?ml$/.test(base) && /^[A-Za-z0-9]/.test(base) ? base : 'playbook.yml';
}

function trimEvent(e: ProvisionEvent): ProvisionEventView {
  if (e.type !== 'task-result' || !e.output) return e as ProvisionEventView;
  const cut = (s?: string) => (s && s.length > OUTPUT_LIMIT ? `${s.slice(0, OUTPUT_LIMIT)}\n… (${s.length - OUTPUT_LIMIT} more characters)` : s);
  return { ...e, output: { ...e.output, stdout: cut(e.output.stdout), stderr: cut(e.output.stderr) } } as ProvisionEventView;
}
