// The power and health feature in one place for the app to wire: a telemetry
// poller, the alert rules it feeds, the kernel log watcher, and (optionally)
// the history recorder. IPC, CLI and the Prometheus endpoint read from here.
import { EventEmitter } from 'node:events';
import type { RemoteExec } from '../ssh/remote-exec';
import { AlertRules, type AlertNotifier, type AlertRulesEvents } from './alert-rules';
import type { HistoryStore } from './history-store';
import { HistoryRecorder } from './history-recorder';
import { KernelLogWatcher } from './kernel-log-watcher';
import type { MetricsNode } from './prometheus-endpoint';
import { findSupplySuspects, type SupplyFinderOptions, type SupplyFinding } from './supply-finder';
import { TelemetryPoller, type TelemetryFailure } from './telemetry-poller';
import type { TelemetrySample } from '../../../shared/telemetry';
import type { PowerEpisode } from '../../../shared/power';

export interface PowerMonitorOptions {
  nodes(): { name: string; supply?: string }[];
  /** undefined while the node is offline. */
  execFor(name: string): RemoteExec | undefined;
  intervalMs?: number;
  probeTimeoutMs?: number;
  /** 'exec' (default): one short channel per poll; 'stream': one looping probe per node. */
  pollMode?: 'exec' | 'stream';
  tempThresholdC?: number;
  kernelQuietMs?: number;
  /** Follow every node's kernel log for under-voltage lines; default true. */
  watchKernelLog?: boolean;
  kernelSyncMs?: number;
  history?: HistoryStore;
  notify?: AlertNotifier;
}

export type PowerMonitorEvents = AlertRulesEvents & {
  sample: [TelemetrySample];
  failure: [TelemetryFailure];
};

export class PowerMonitor extends EventEmitter<PowerMonitorEvents> {
  readonly poller: TelemetryPoller;
  readonly rules: AlertRules;
  readonly watcher: KernelLogWatcher | undefined;
  private readonly recorder: HistoryRecorder | undefined;
  private readonly status = new Map<string, string>();
  /** Episodes of the last day kept in memory for findings when there is no history store. */
  private recent: PowerEpisode[] = [];

  constructor(private readonly o: PowerMonitorOptions) {
    super();
    this.poller = new TelemetryPoller({ nodes: o.nodes, execFor: o.execFor, intervalMs: o.intervalMs, timeoutMs: o.probeTimeoutMs, mode: o.pollMode });
    this.rules = new AlertRules({ tempThresholdC: o.tempThresholdC, kernelQuietMs: o.kernelQuietMs, notify: o.notify });
    this.poller.on('sample', (s) => {
      this.rules.observe(s);
      this.emit('sample', s);
    });
    this.poller.on('failure', (f) => this.emit('failure', f));
    if (o.watchKernelLog !== false) {
      this.watcher = new KernelLogWatcher({ nodes: o.nodes, execFor: o.execFor, syncMs: o.kernelSyncMs });
      this.watcher.on('power-line', ({ node, supply, entry }) => this.rules.kernelLine(node, entry, supply));
    }
    for (const ev of ['alert-raised', 'alert-cleared', 'alert-acknowledged', 'episode-started', 'episode-ended', 'power-line'] as const) {
      (this.rules as EventEmitter).on(ev, (x: unknown) => (this as EventEmitter).emit(ev, x));
    }
    this.rules.on('episode-started', (e) => this.remember(e));
    this.rules.on('episode-ended', (e) => this.remember(e));
    if (o.history) {
      this.recorder = new HistoryRecorder(o.history);
      this.recorder.attach({ poller: this.poller, rules: this.rules });
    }
  }

  start(): void {
    this.poller.start();
    this.watcher?.start();
  }

  stop(): void {
    this.poller.stop();
    this.watcher?.stop();
    this.rules.closeOpenEpisodes();
    this.rules.dispose();
    this.recorder?.stop();
  }

  /** Feed the fleet's node status changes (FleetService 'state' events). */
  setNodeStatus(name: string, status: string, detail?: string): void {
    this.status.set(name, status);
    this.rules.setNodeStatus(name, status, detail);
  }

  /** What /metrics serves. */
  metricsSnapshot(): MetricsNode[] {
    const alerts = this.rules.active();
    return this.o.nodes().map((n) => {
      const latest = this.poller.latest(n.name);
      const up = this.status.has(n.name) ? this.status.get(n.name) === 'online' : this.o.execFor(n.name) !== undefined;
      return {
        name: n.name,
        ...(n.supply ? { supply: n.supply } : {}),
        up,
        ...(latest ? { telemetry: latest.telemetry } : {}),
        alerts: alerts.filter((a) => a.node === n.name).map((a) => ({ kind: a.kind, severity: a.severity })),
      };
    });
  }

  /** Supply findings over [from, to] (from the history store when there is one). */
  supplyFindings(from: number, to = Date.now(), opts?: SupplyFinderOptions): SupplyFinding[] {
    const episodes = this.o.history ? this.o.history.episodes(from, to) : this.recent.filter((e) => e.start >= from && e.start <= to);
    return findSupplySuspects(episodes, this.o.nodes(), opts);
  }

  private remember(e: PowerEpisode): void {
    const cutoff = Date.now() - 86_400_000;
    this.recent = [...this.recent.filter((x) => x.id !== e.id && (x.end ?? x.start) >= cutoff), e];
  }
}
