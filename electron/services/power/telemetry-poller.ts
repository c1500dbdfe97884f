// Polls every online node's health on a fixed cadence. A node whose previous
// probe has not answered yet is skipped this round rather than queued, so a
// slow or frozen node never piles up channels on its connection.
//
// Two ways to do it: 'exec' (default) opens one short channel per node per
// poll; 'stream' keeps one channel per node open with the probe looping on
// the node, several times cheaper for the app and the nodes, at the price of
// a long-lived process on every node.
import { EventEmitter } from 'node:events';
import { ExecError, type RemoteExec } from '../ssh/remote-exec';
import { probeTelemetry } from './telemetry-probe';
import type { NodeTelemetry, TelemetrySample } from '../../../shared/telemetry';
import { streamTelemetry } from './telemetry-stream';

export interface PolledNode {
  name: string;
  supply?: string;
}

export interface TelemetryPollerOptions {
  nodes(): PolledNode[];
  /** undefined: the node is offline, skip it. */
  execFor(name: string): RemoteExec | undefined;
  /** Default 2000 ms. */
  intervalMs?: number;
  /** Per probe (stream mode: the longest wait for a sample beyond the interval); default interval + 3 s, at least 5 s. */
  timeoutMs?: number;
  /** Default 'exec'. */
  mode?: 'exec' | 'stream';
  /**
   * Stream mode: samples per channel before it is replaced by a fresh one. RemoteExec keeps
   * a command's whole output until it ends, so a stream is recycled to bound that memory.
   */
  streamSamples?: number;
}

export interface TelemetryFailure {
  node: string;
  at: number;
  kind: 'timeout' | 'lost' | 'aborted' | 'offline' | 'failed';
  message: string;
}

export interface TelemetryPollerEvents {
  sample: [TelemetrySample];
  failure: [TelemetryFailure];
}

interface Running {
  ctl: AbortController;
  /** Stream mode: when the last sample came, and how many this channel gave. */
  lastAt: number;
  count: number;
  why?: 'stop' | 'timeout' | 'recycle';
}

export class TelemetryPoller extends EventEmitter<TelemetryPollerEvents> {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Running>();
  private readonly latestByNode = new Map<string, TelemetrySample>();
  /** Boards that answered pmic_read_adc with an error: not a Pi 5, do not ask again. */
  private readonly noPmic = new Set<string>();
  readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly mode: 'exec' | 'stream';
  private readonly streamSamples: number;

  constructor(private readonly o: TelemetryPollerOptions) {
    super();
    this.intervalMs = o.intervalMs ?? 2000;
    this.timeoutMs = o.timeoutMs ?? Math.max(5000, this.intervalMs + 3000);
    this.mode = o.mode ?? 'exec';
    this.streamSamples = o.streamSamples ?? 600;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pollAll(), this.intervalMs);
    void this.pollAll();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const r of this.inFlight.values()) {
      r.why = 'stop';
      r.ctl.abort();
    }
    this.inFlight.clear();
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  latest(name: string): TelemetrySample | undefined {
    return this.latestByNode.get(name);
  }

  /**
   * Exec mode: starts a probe on every online node not still answering the last one and
   * resolves when those probes are done. Stream mode: starts missing streams, replaces
   * stalled ones, and resolves at once.
   */
  pollAll(): Promise<void> {
    const known = new Set<string>();
    const runs: Promise<void>[] = [];
    const now = Date.now();
    for (const n of this.o.nodes()) {
      known.add(n.name);
      const busy = this.inFlight.get(n.name);
      if (busy) {
        if (this.mode === 'stream' && now - busy.lastAt > this.intervalMs + this.timeoutMs) this.end(n.name, busy, 'timeout');
        continue;
      }
      const exec = this.o.execFor(n.name);
      if (!exec) continue;
      if (this.mode === 'stream') this.startStream(n, exec);
      else runs.push(this.pollNode(n, exec));
    }
    for (const name of this.latestByNode.keys()) if (!known.has(name)) this.latestByNode.delete(name);
    for (const [name, r] of this.inFlight) if (!known.has(name)) this.end(name, r, 'stop');
    return Promise.all(runs).then(() => undefined);
  }

  private end(name: string, r: Running, why: NonNullable<Running['why']>): void {
    r.why = why;
    r.ctl.abort();
    if (this.inFlight.get(name) === r) this.inFlight.delete(name);
    if (why === 'timeout') this.emit('failure', { node: name, at: Date.now(), kind: 'timeout', message: `no health sample for ${Math.round((this.intervalMs + this.timeoutMs) / 1000)} s` });
  }

  private deliver(n: PolledNode, telemetry: NodeTelemetry): void {
    if (telemetry.inputVolts === null && telemetry.throttled !== null) this.noPmic.add(n.name);
    const sample: TelemetrySample = { node: n.name, ...(n.supply ? { supply: n.supply } : {}), telemetry };
    this.latestByNode.set(n.name, sample);
    this.emit('sample', sample);
  }

  private fail(node: string, e: unknown): void {
    const kind = e instanceof ExecError ? e.kind : 'failed';
    this.emit('failure', { node, at: Date.now(), kind, message: (e as Error).message });
  }

  private async pollNode(n: PolledNode, exec: RemoteExec): Promise<void> {
    const r: Running = { ctl: new AbortController(), lastAt: Date.now(), count: 0 };
    this.inFlight.set(n.name, r);
    try {
      const telemetry = await probeTelemetry(exec, { timeoutMs: this.timeoutMs, signal: r.ctl.signal, skipPmic: this.noPmic.has(n.name) });
      if (!r.why) this.deliver(n, telemetry);
    } catch (e) {
      if (!r.why) this.fail(n.name, e);
    } finally {
      if (this.inFlight.get(n.name) === r) this.inFlight.delete(n.name);
    }
  }

  private startStream(n: PolledNode, exec: RemoteExec): void {
    const r: Running = { ctl: new AbortController(), lastAt: Date.now(), count: 0 };
    this.inFlight.set(n.name, r);
    streamTelemetry(exec, {
      intervalMs: this.intervalMs,
      skipPmic: this.noPmic.has(n.name),
      signal: r.ctl.signal,
      onSample: (t) => {
        if (r.why) return;
        r.lastAt = t.at;
        this.deliver(n, t);
        if (++r.count >= this.streamSamples) {
          this.end(n.name, r, 'recycle');
          // Straight on with a fresh channel, no gap in the samples.
          const again = this.o.execFor(n.name);
          if (again && this.timer) this.startStream(n, again);
        }
      },
    }).then(
      () => {
        if (!r.why) this.fail(n.name, new ExecError('lost', 'the health stream ended'));
      },
      (e) => {
        if (!r.why) this.fail(n.name, e);
      },
    ).finally(() => {
      if (this.inFlight.get(n.name) === r) this.inFlight.delete(n.name);
    });
  }
}
