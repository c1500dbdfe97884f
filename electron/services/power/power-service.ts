// Power and health for the app: the monitor over the fleet's connections, its
// history on disk, the settings that tune it, and the opt-in Prometheus
// endpoint. IPC and the CLI ask here; alerts go out as power:alert events.
import path from 'node:path';
import type { Settings } from '../../../shared/contract';
import type { Alert, HistoryEventView, MetricPoint, PowerEpisode, SupplyFindingView } from '../../../shared/power';
import type { NodeTelemetry } from '../../../shared/telemetry';
import type { Emit } from '../event-hub';
import type { FleetService } from '../fleet/fleet-service';
import type { Inventory } from '../fleet/inventory';
import { UserError } from '../user-error';
import { openHistoryStore, type HistoryStore } from './history-store';
import { PowerMonitor } from './power-monitor';
import { PrometheusEndpoint } from './prometheus-endpoint';

export interface PowerServiceOptions {
  fleet: FleetService;
  inventory: Inventory;
  emit: Emit;
  settings: () => Settings;
  /** Where history.sqlite lives; none keeps no history (the CLI). */
  dataDir?: string;
  /** Follow kernel logs for under-voltage lines (the app does; a one-off CLI poll does not). */
  watchKernelLog?: boolean;
}

const DAY = 86_400_000;

export class PowerService {
  monitor: PowerMonitor;
  private readonly store: HistoryStore | undefined;
  private prometheus: PrometheusEndpoint | undefined;
  private prometheusPort: number | undefined;
  private maintainTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly o: PowerServiceOptions) {
    this.store = o.dataDir ? openHistoryStore(path.join(o.dataDir, 'history.sqlite')) : undefined;
    this.monitor = this.createMonitor();
    // Offline alerts and the "up" metric follow the fleet's own view of each node.
    o.fleet.on('state', (s: { name: string; status: string; detail?: string }) => this.monitor.setNodeStatus(s.name, s.status, s.detail));
  }

  private createMonitor(): PowerMonitor {
    const s = this.o.settings();
    const monitor = new PowerMonitor({
      nodes: () => this.o.inventory.list().map((n) => ({ name: n.name, supply: n.supply })),
      execFor: (name) => {
        const c = this.o.fleet.connection(name);
        return c?.online ? c : undefined;
      },
      intervalMs: s.telemetryIntervalSeconds * 1000,
      tempThresholdC: s.temperatureAlertC,
      watchKernelLog: this.o.watchKernelLog ?? true,
      history: this.store,
    });
    monitor.on('sample', (sample) => {
      this.o.fleet.setVitals(sample.node, sample.telemetry);
      this.o.emit('power:sample', sample);
    });
    monitor.on('alert-raised', (alert) => this.o.emit('power:alert', { event: 'raised', alert }));
    monitor.on('alert-cleared', (alert) => this.o.emit('power:alert', { event: 'cleared', alert }));
    monitor.on('alert-acknowledged', (alert) => this.o.emit('power:alert', { event: 'acknowledged', alert }));
    return monitor;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.monitor.start();
    this.maintainTimer = setInterval(() => this.store?.maintain(), 10 * 60_000);
    void this.applySettings(this.o.settings());
  }

  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.maintainTimer);
    this.monitor.stop();
    await this.prometheus?.stop();
    this.prometheus = undefined;
    this.store?.close();
  }

  /** Settings changed: re-tune without losing more than needed. */
  async applySettings(s: Settings): Promise<void> {
    this.monitor.rules.setTemperatureThreshold(s.temperatureAlertC);
    if (this.started && this.monitor.poller.intervalMs !== s.telemetryIntervalSeconds * 1000) {
      this.monitor.stop();
      this.monitor = this.createMonitor();
      this.monitor.start();
    }
    const want = s.prometheus.enabled ? s.prometheus.port : undefined;
    if (want !== this.prometheusPort || !this.started) {
      await this.prometheus?.stop();
      this.prometheus = undefined;
      this.prometheusPort = undefined;
      if (want !== undefined && this.started) {
        const endpoint = new PrometheusEndpoint({ port: want, snapshot: () => this.monitor.metricsSnapshot() });
        try {
          await endpoint.start();
          this.prometheus = endpoint;
          this.prometheusPort = want;
        } catch (e) {
          this.o.emit('app:notice', { level: 'warning', message: `The Prometheus endpoint could not listen on 127.0.0.1:${want} (${(e as Error).message}); choose another port.` });
        }
      }
    }
  }

  /** Polls every online node once now (the CLI's `bramble power`). */
  async pollOnce(): Promise<void> {
    await this.monitor.poller.pollAll();
  }

  overview(): { name: string; supply?: string; telemetry?: NodeTelemetry; alerts: Alert[] }[] {
    const alerts = this.monitor.rules.active();
    return this.o.inventory.list().map((n) => ({
      name: n.name,
      ...(n.supply ? { supply: n.supply } : {}),
      ...(this.monitor.poller.latest(n.name) ? { telemetry: this.monitor.poller.latest(n.name)!.telemetry } : {}),
      alerts: alerts.filter((a) => a.node === n.name),
    }));
  }

  /** Alerts not yet cleared, acknowledged or not. */
  alerts(): Alert[] {
    return this.monitor.rules.active();
  }

  acknowledge(id: string): boolean {
    return this.monitor.rules.acknowledge(id) !== undefined;
  }

  history(node: string, from: number, to: number): { points: MetricPoint[]; events: HistoryEventView[]; episodes: PowerEpisode[] } {
    if (!this.o.inventory.get(node)) throw new UserError(`There is no node called ${node} in the fleet.`);
    if (!this.store) return { points: [], events: [], episodes: this.monitor.rules.openEpisodes().filter((e) => e.node === node) };
    return {
      points: this.store.series(node, from, to),
      events: this.store.events({ from, to, node, limit: 2000 }).map(({ node: n, at, kind, severity, message }) => ({ node: n, at, kind, severity, message })),
      episodes: this.store.episodes(from, to, node),
    };
  }

  timeline(from: number, to: number): { groups: { supply: string | null; nodes: string[] }[]; episodes: PowerEpisode[]; findings: SupplyFindingView[] } {
    const bySupply = new Map<string | null, string[]>();
    for (const n of this.o.inventory.list()) {
      const key = n.supply ?? null;
      bySupply.set(key, [...(bySupply.get(key) ?? []), n.name]);
    }
    const groups = [...bySupply.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
      .map(([supply, nodes]) => ({ supply, nodes }));
    const episodes = this.store ? this.store.episodes(from, to) : this.monitor.rules.openEpisodes();
    const span = to - from;
    const periodLabel = span <= DAY && new Date(from).toDateString() === new Date().toDateString() ? 'today' : `in the last ${Math.max(1, Math.round(span / 3_600_000))} h`;
    return { groups, episodes, findings: this.monitor.supplyFindings(from, to, { periodLabel }) };
  }
}
