// Follows every online node's kernel log and passes on its power lines, so a
// node without vcgencmd (or a sag too short for any poll) still raises
// under-voltage events. A follow that ends (node rebooted, connection lost) is
// started again on the next sync, resuming after the last cursor it saw.
import { EventEmitter } from 'node:events';
import { followLog } from '../logs/follow-log';
import type { LogEntry } from '../../../shared/logs/log-entry';
import type { RemoteExec } from '../ssh/remote-exec';

export interface KernelLogWatcherOptions {
  nodes(): { name: string; supply?: string }[];
  execFor(name: string): RemoteExec | undefined;
  /** How often nodes without a running follow are (re)started; default 5 s. */
  syncMs?: number;
  now?: () => number;
}

export interface KernelLogWatcherEvents {
  /** Every kernel line that is a power line. */
  'power-line': [{ node: string; supply?: string; entry: LogEntry }];
  /** A follow started (the command was sent). */
  following: [{ node: string }];
  /** A follow ended or failed; it is retried on the next sync. */
  ended: [{ node: string; error?: string }];
}

interface Follow {
  ctl: AbortController;
  cursor?: string;
  running: boolean;
  /** Failures in a row, and when to try again: a node whose log cannot be read is not hammered. */
  failures: number;
  retryAt: number;
}

export class KernelLogWatcher extends EventEmitter<KernelLogWatcherEvents> {
  private readonly follows = new Map<string, Follow>();
  private readonly counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: number;

  constructor(private readonly o: KernelLogWatcherOptions) {
    super();
    this.startedAt = (o.now ?? Date.now)();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sync(), this.o.syncMs ?? 5000);
    this.sync();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const f of this.follows.values()) f.ctl.abort();
    this.follows.clear();
  }

  /** Under-voltage lines counted per node since the watcher started. */
  underVoltageCount(node: string): number {
    return this.counts.get(node) ?? 0;
  }

  /** Starts follows for online nodes that have none, stops those of nodes that left. */
  sync(): void {
    const list = this.o.nodes();
    const names = new Set(list.map((n) => n.name));
    for (const [name, f] of this.follows) {
      if (!names.has(name)) {
        f.ctl.abort();
        this.follows.delete(name);
      }
    }
    for (const n of list) {
      const f = this.follows.get(n.name);
      if (f?.running || (f && f.retryAt > Date.now())) continue;
      const exec = this.o.execFor(n.name);
      if (!exec) continue;
      this.begin(n, exec, f);
    }
  }

  private begin(n: { name: string; supply?: string }, exec: RemoteExec, prev: Follow | undefined): void {
    const cursor = prev?.cursor;
    const f: Follow = { ctl: new AbortController(), cursor, running: true, failures: prev?.failures ?? 0, retryAt: 0 };
    this.follows.set(n.name, f);
    const supply = () => this.o.nodes().find((x) => x.name === n.name)?.supply;
    this.emit('following', { node: n.name });
    followLog(exec, {
      kernel: true,
      follow: true,
      node: n.name,
      signal: f.ctl.signal,
      // The first follow picks up lines from when the watcher started; later ones resume after the cursor.
      ...(cursor ? { afterCursor: cursor } : { since: this.startedAt - 1000, lines: 'all' as const }),
      onEntries: (entries) => {
        f.failures = 0;
        for (const e of entries) {
          if (e.cursor) f.cursor = e.cursor;
          if (!e.power) continue;
          if (e.power === 'under-voltage') this.counts.set(n.name, (this.counts.get(n.name) ?? 0) + 1);
          const s = supply();
          this.emit('power-line', { node: n.name, ...(s ? { supply: s } : {}), entry: e });
        }
      },
    }).then(
      (r) => {
        f.running = false;
        if (r.lastCursor) f.cursor = r.lastCursor;
        if (r.ended !== 'aborted') this.emit('ended', { node: n.name });
      },
      (e: Error) => {
        f.running = false;
        f.failures++;
        f.retryAt = Date.now() + Math.min(300_000, 5000 * 2 ** (f.failures - 1));
        this.emit('ended', { node: n.name, error: e.message });
      },
    );
  }
}
