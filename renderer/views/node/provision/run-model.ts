// Turns a run's event stream into what the results view draws: one row per task
// (in the order tasks started), each with every node's outcome so far, and the
// plain-words summary under the recap.
import type { ProvisionEventView, TaskStatusView } from '../../../../shared/provision';
import type { Recap, RunState } from '../../../store/provision';

export type TaskResult = Extract<ProvisionEventView, { type: 'task-result' }>;

export interface TaskRow {
  key: string;
  play: string;
  task: string;
  /** Per node: its result, or undefined while the task is running there. */
  hosts: Map<string, TaskResult | undefined>;
}

export interface PlayGroup {
  play: string;
  hosts: string[];
  tasks: TaskRow[];
}

export function groupEvents(events: ProvisionEventView[], onlyHost?: string): PlayGroup[] {
  const plays: PlayGroup[] = [];
  const rows = new Map<string, TaskRow>();
  const playOf = (name: string): PlayGroup => {
    // A play name can repeat (two plays called "all"): the latest one is the one running.
    let p = plays.findLast((x) => x.play === name);
    if (!p) {
      p = { play: name, hosts: [], tasks: [] };
      plays.push(p);
    }
    return p;
  };
  for (const ev of events) {
    if (ev.type === 'recap') continue;
    if (ev.type === 'play-start') {
      const hosts = onlyHost ? ev.hosts.filter((h) => h === onlyHost) : ev.hosts;
      plays.push({ play: ev.play, hosts, tasks: [] });
      continue;
    }
    if (onlyHost && ev.host !== onlyHost) continue;
    const play = playOf(ev.play);
    const key = `${plays.indexOf(play)}\u0000${ev.task}`;
    let row = rows.get(key);
    if (!row) {
      row = { key, play: ev.play, task: ev.task, hosts: new Map() };
      rows.set(key, row);
      play.tasks.push(row);
    }
    if (ev.type === 'task-start') {
      if (!row.hosts.get(ev.host)) row.hosts.set(ev.host, undefined);
    } else {
      row.hosts.set(ev.host, ev);
    }
  }
  return plays;
}

/** The word a chip shows: in check mode nothing changed, it only would have. */
export function statusWord(status: TaskStatusView, check: boolean, ignored?: boolean): string {
  if (ignored) return 'failed (ignored)';
  if (status === 'changed' && check) return 'would change';
  return status;
}

export function recapTotals(recap: Recap) {
  const hosts = Object.values(recap);
  return {
    hosts: hosts.length,
    changed: hosts.filter((h) => h.changed > 0).length,
    failed: hosts.filter((h) => h.failed > 0).length,
    unreachable: hosts.filter((h) => h.unreachable > 0).length,
  };
}

const nodes = (n: number) => `${n} ${n === 1 ? 'node' : 'nodes'}`;

/** "2 nodes changed, 0 failed", as a person would say it after a run. */
export function summarySentence(recap: Recap, check: boolean, state: RunState): string {
  const t = recapTotals(recap);
  const parts = [`${nodes(t.changed)} ${check ? 'would change' : 'changed'}`, `${t.failed} failed`];
  if (t.unreachable) parts.push(`${t.unreachable} unreachable`);
  const s = parts.join(', ');
  // A cancelled run stopped part way: "already in place" would be a claim it cannot make.
  if (state === 'cancelled') return `Cancelled part way: ${s} so far`;
  if (t.changed === 0 && t.failed === 0 && t.unreachable === 0) return `${s}: everything ${check ? 'is' : 'was'} already in place`;
  return s;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}
