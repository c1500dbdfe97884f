// Writes what the poller, alert rules and kernel watcher report into the
// history store: samples batched into one transaction per flush, events and
// episodes as they happen, downsampling and pruning now and then.
import type { AlertRules } from './alert-rules';
import type { Alert } from '../../../shared/power';
import type { HistoryEvent, HistoryStore, MetricSample } from './history-store';
import type { KernelLogWatcher } from './kernel-log-watcher';
import type { TelemetryPoller } from './telemetry-poller';
import type { TelemetrySample } from '../../../shared/telemetry';

export interface HistoryRecorderOptions {
  /** Default 1 s. */
  flushMs?: number;
  /** Default 10 min. */
  maintainMs?: number;
}

export function toMetricSample(s: TelemetrySample): MetricSample {
  const t = s.telemetry;
  const memUsedPct = t.memTotalKiB && t.memAvailableKiB !== null ? ((t.memTotalKiB - t.memAvailableKiB) / t.memTotalKiB) * 100 : null;
  return { node: s.node, at: t.at, tempC: t.tempC, coreVolts: t.coreVolts, inputVolts: t.inputVolts, throttled: t.throttled, load1: t.load1, memUsedPct };
}

const alertEvent = (kind: string, a: Alert, at: number): HistoryEvent => ({ node: a.node, at, kind, severity: a.severity, message: `${a.title}: ${a.message}`, data: a });

export class HistoryRecorder {
  private pending: MetricSample[] = [];
  private readonly flushTimer: NodeJS.Timeout;
  private readonly maintainTimer: NodeJS.Timeout;
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly store: HistoryStore,
    o: HistoryRecorderOptions = {},
  ) {
    this.flushTimer = setInterval(() => this.flush(), o.flushMs ?? 1000);
    this.maintainTimer = setInterval(() => this.store.maintain(), o.maintainMs ?? 600_000);
    this.flushTimer.unref();
    this.maintainTimer.unref();
  }

  attach(src: { poller?: TelemetryPoller; rules?: AlertRules; watcher?: KernelLogWatcher }): void {
    const on = <E extends { on(ev: string, l: (...a: never[]) => void): unknown; off(ev: string, l: (...a: never[]) => void): unknown }>(emitter: E, ev: string, l: (...a: never[]) => void) => {
      emitter.on(ev, l);
      this.detach.push(() => emitter.off(ev, l));
    };
    if (src.poller) on(src.poller, 'sample', (s: TelemetrySample) => this.pending.push(toMetricSample(s)));
    if (src.rules) {
      on(src.rules, 'alert-raised', (a: Alert) => this.store.addEvents([alertEvent('alert-raised', a, a.raisedAt)]));
      on(src.rules, 'alert-cleared', (a: Alert) => this.store.addEvents([alertEvent('alert-cleared', a, a.clearedAt ?? Date.now())]));
      on(src.rules, 'alert-acknowledged', (a: Alert) => this.store.addEvents([alertEvent('alert-acknowledged', a, a.acknowledgedAt ?? Date.now())]));
      on(src.rules, 'episode-started', (e) => this.store.saveEpisode(e));
      on(src.rules, 'episode-ended', (e) => this.store.saveEpisode(e));
      on(src.rules, 'power-line', (l: { node: string; at: number; message: string; power: string }) =>
        this.store.addEvents([{ node: l.node, at: l.at, kind: 'kernel-line', severity: l.power === 'under-voltage' ? 'critical' : 'info', message: l.message, data: { power: l.power } }]),
      );
    }
  }

  /** Writes the samples received since the last flush in one transaction. */
  flush(): void {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.store.addSamples(batch);
  }

  stop(): void {
    clearInterval(this.flushTimer);
    clearInterval(this.maintainTimer);
    for (const d of this.detach.splice(0)) d();
    this.flush();
  }
}
