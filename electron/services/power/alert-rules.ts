// Turns telemetry samples, fleet status changes and kernel log lines into
// alerts (one per episode: raised once, cleared when the condition ends,
// acknowledged by the user without hiding it) and power episodes.
import { EventEmitter } from 'node:events';
import { decodeThrottled, type ThrottleState } from '../../../shared/throttle';
import type { PowerLineKind } from '../../../shared/logs/power-lines';
import type { Alert, AlertKind, AlertSeverity, EpisodeKind, PowerEpisode } from '../../../shared/power';
import type { TelemetrySample } from '../../../shared/telemetry';

export type AlertNotifier = (event: 'raised' | 'cleared', alert: Alert) => void;

export interface AlertRulesOptions {
  /** Default 80 °C. */
  tempThresholdC?: number;
  /** The temperature alert clears this far below the threshold (no flapping); default 3 °C. */
  tempHysteresisC?: number;
  /** A kernel under-voltage alert clears after this long without another line; default 60 s. */
  kernelQuietMs?: number;
  /** Desktop notifications; injected so this module never needs Electron. */
  notify?: AlertNotifier;
  now?: () => number;
}

export interface KernelPowerLine {
  at: number;
  message: string;
  power: PowerLineKind | null;
}

export interface AlertRulesEvents {
  'alert-raised': [Alert];
  'alert-cleared': [Alert];
  'alert-acknowledged': [Alert];
  'episode-started': [PowerEpisode];
  'episode-ended': [PowerEpisode];
  /** A kernel power line was counted (under-voltage, normalised, throttling). */
  'power-line': [{ node: string; supply?: string; at: number; message: string; power: PowerLineKind }];
}

const TITLES: Record<AlertKind, string> = {
  'under-voltage-now': 'Under-voltage',
  'under-voltage-since-boot': 'Under-voltage since boot',
  'under-voltage-logged': 'Under-voltage in the kernel log',
  'throttled-now': 'Throttled',
  'over-temperature': 'Hot',
  offline: 'Offline',
};

interface NodeMemory {
  supply?: string;
  throttle?: ThrottleState;
  episodes: Partial<Record<EpisodeKind, PowerEpisode>>;
}

export class AlertRules extends EventEmitter<AlertRulesEvents> {
  private readonly activeAlerts = new Map<string, Alert>();
  private readonly nodes = new Map<string, NodeMemory>();
  private readonly quietTimers = new Map<string, NodeJS.Timeout>();
  private tempThresholdC: number;
  private tempHysteresisC: number;
  private readonly kernelQuietMs: number;
  private readonly now: () => number;
  private seq = 0;
  /** Last sample time that still showed each open episode. */
  private readonly episodeSeen = new Map<string, number>();

  constructor(private readonly o: AlertRulesOptions = {}) {
    super();
    this.tempThresholdC = o.tempThresholdC ?? 80;
    this.tempHysteresisC = o.tempHysteresisC ?? 3;
    this.kernelQuietMs = o.kernelQuietMs ?? 60_000;
    this.now = o.now ?? Date.now;
  }

  setTemperatureThreshold(celsius: number, hysteresis = this.tempHysteresisC): void {
    this.tempThresholdC = celsius;
    this.tempHysteresisC = hysteresis;
  }

  /** Alerts not yet cleared (acknowledged ones included), most severe and newest first. */
  active(): Alert[] {
    return [...this.activeAlerts.values()].sort((a, b) => (a.severity === b.severity ? b.raisedAt - a.raisedAt : a.severity === 'critical' ? -1 : 1));
  }

  alertsFor(node: string): Alert[] {
    return this.active().filter((a) => a.node === node);
  }

  /** Episodes still running (no end yet). */
  openEpisodes(): PowerEpisode[] {
    return [...this.nodes.values()].flatMap((m) => Object.values(m.episodes).filter((e): e is PowerEpisode => !!e));
  }

  acknowledge(id: string): Alert | undefined {
    for (const a of this.activeAlerts.values()) {
      if (a.id !== id) continue;
      if (a.acknowledgedAt === null) {
        a.acknowledgedAt = this.now();
        this.emit('alert-acknowledged', { ...a });
      }
      return { ...a };
    }
    return undefined;
  }

  observe(sample: TelemetrySample): void {
    const { node, telemetry: t } = sample;
    const mem = this.memory(node, sample.supply);
    const at = t.at;
    // A node that answers a probe is online, whatever the status feed said last.
    this.clear(node, 'offline', at);
    if (t.throttled !== null) {
      const prev = mem.throttle;
      const s = decodeThrottled(t.throttled);
      mem.throttle = s;
      const f = s.flags;
      this.condition(node, 'under-voltage-now', f.underVoltageNow, at, 'critical', `${s.summary} (${s.hex}): the power supply cannot keep up.`);
      this.condition(
        node,
        'under-voltage-since-boot',
        f.underVoltageSinceBoot && !f.underVoltageNow,
        at,
        'warning',
        `The supply dipped below 4.63 V at some point since the last boot (${s.hex}).`,
      );
      const throttledNow = f.throttledNow || f.freqCappedNow;
      this.condition(node, 'throttled-now', throttledNow, at, 'warning', `${s.summary} (${s.hex}).`);
      // A "since boot" bit that appears without its "now" bit ever seen: the sag fell between two polls.
      const rose = (now: boolean, sinceBoot: boolean, prevSince: boolean | undefined) => !now && sinceBoot && prevSince === false;
      this.episode(node, 'under-voltage', f.underVoltageNow, rose(f.underVoltageNow, f.underVoltageSinceBoot, prev?.flags.underVoltageSinceBoot), at, s.hex);
      const throttledSince = f.throttledSinceBoot || f.freqCappedSinceBoot;
      const prevThrottledSince = prev ? prev.flags.throttledSinceBoot || prev.flags.freqCappedSinceBoot : undefined;
      this.episode(node, 'throttled', throttledNow, rose(throttledNow, throttledSince, prevThrottledSince), at, s.hex);
    }
    if (t.tempC !== null) {
      const key = this.key(node, 'over-temperature');
      const hot = this.activeAlerts.has(key) ? t.tempC >= this.tempThresholdC - this.tempHysteresisC : t.tempC >= this.tempThresholdC;
      this.condition(node, 'over-temperature', hot, at, 'warning', `${t.tempC.toFixed(1)} °C (alert at ${this.tempThresholdC} °C): check cooling; the board throttles at 80-85 °C.`);
    }
    if (t.lcritAlarm) this.kernelUnderVoltage(node, at, 'hwmon rpi_volt in0_lcrit_alarm is set', false);
  }

  /** Feed from the fleet's status events: `offline` raises, `online` clears; other states change nothing. */
  setNodeStatus(node: string, status: string, detail?: string, at = this.now()): void {
    if (status === 'offline') this.raise(node, 'offline', at, 'warning', detail ? `Not answering: ${detail}` : 'The node is not answering.');
    else if (status === 'online') this.clear(node, 'offline', at);
  }

  /** A node's supply group changed (inventory edit). */
  setSupply(node: string, supply: string | undefined): void {
    this.memory(node).supply = supply;
  }

  /** A kernel log line; power lines raise or clear the logged under-voltage alert and count as events. */
  kernelLine(node: string, line: KernelPowerLine, supply?: string): void {
    if (!line.power) return;
    const mem = this.memory(node, supply);
    this.emit('power-line', { node, ...(mem.supply ? { supply: mem.supply } : {}), at: line.at, message: line.message, power: line.power });
    if (line.power === 'under-voltage') this.kernelUnderVoltage(node, line.at, line.message, true);
    else if (line.power === 'voltage-normalised') this.clear(node, 'under-voltage-logged', line.at);
    else if (line.power === 'throttling') {
      const ep = this.newEpisode(node, 'throttled', 'kernel', line.at, line.message);
      ep.end = line.at;
      this.emit('episode-started', { ...ep });
      this.emit('episode-ended', { ...ep });
    }
  }

  /** The node left the inventory: drop its alerts without notifications. */
  forgetNode(node: string): void {
    for (const [k, a] of this.activeAlerts) if (a.node === node) this.activeAlerts.delete(k);
    this.nodes.delete(node);
    for (const [k, t] of this.quietTimers) if (k.startsWith(`${node}\0`)) (clearTimeout(t), this.quietTimers.delete(k));
  }

  /**
   * Monitoring stops (app quits, feature turned off): open episodes end at the last
   * sample that showed them, so the timeline never shows one running forever.
   */
  closeOpenEpisodes(): PowerEpisode[] {
    const closed: PowerEpisode[] = [];
    for (const m of this.nodes.values()) {
      for (const kind of Object.keys(m.episodes) as EpisodeKind[]) {
        const ep = m.episodes[kind]!;
        delete m.episodes[kind];
        ep.end = this.episodeSeen.get(ep.id) ?? ep.start;
        ep.detail = `${ep.detail ?? ''} (monitoring stopped)`.trim();
        this.episodeSeen.delete(ep.id);
        closed.push({ ...ep });
        this.emit('episode-ended', { ...ep });
      }
    }
    return closed;
  }

  dispose(): void {
    for (const t of this.quietTimers.values()) clearTimeout(t);
    this.quietTimers.clear();
  }

  private kernelUnderVoltage(node: string, at: number, message: string, asEpisode: boolean): void {
    const key = this.key(node, 'under-voltage-logged');
    const existing = this.activeAlerts.get(key);
    if (existing) {
      existing.count++;
      existing.lastSeenAt = Math.max(existing.lastSeenAt, at);
    } else this.raise(node, 'under-voltage-logged', at, 'critical', `The kernel reported: ${message}`);
    if (asEpisode) {
      const ep = this.newEpisode(node, 'under-voltage', 'kernel', at, message);
      ep.end = at;
      this.emit('episode-started', { ...ep });
      this.emit('episode-ended', { ...ep });
    }
    // Cleared by "Voltage normalised", or once the log has been quiet for a while.
    clearTimeout(this.quietTimers.get(key));
    const timer = setTimeout(() => {
      this.quietTimers.delete(key);
      this.clear(node, 'under-voltage-logged', this.now());
    }, this.kernelQuietMs);
    timer.unref();
    this.quietTimers.set(key, timer);
  }

  private memory(node: string, supply?: string): NodeMemory {
    let m = this.nodes.get(node);
    if (!m) this.nodes.set(node, (m = { episodes: {} }));
    if (supply !== undefined) m.supply = supply;
    return m;
  }

  private key(node: string, kind: AlertKind): string {
    return `${node}\0${kind}`;
  }

  private condition(node: string, kind: AlertKind, holds: boolean, at: number, severity: AlertSeverity, message: string): void {
    if (holds) this.raise(node, kind, at, severity, message);
    else this.clear(node, kind, at);
  }

  private raise(node: string, kind: AlertKind, at: number, severity: AlertSeverity, message: string): void {
    const key = this.key(node, kind);
    const existing = this.activeAlerts.get(key);
    if (existing) {
      existing.lastSeenAt = Math.max(existing.lastSeenAt, at);
      existing.message = message;
      if (kind !== 'under-voltage-logged') existing.count++;
      return;
    }
    const supply = this.memory(node).supply;
    const alert: Alert = {
      id: `${node}:${kind}:${at}:${++this.seq}`,
      node,
      ...(supply ? { supply } : {}),
      kind,
      severity,
      title: `${node}: ${TITLES[kind]}`,
      message,
      raisedAt: at,
      lastSeenAt: at,
      clearedAt: null,
      acknowledgedAt: null,
      count: 1,
    };
    this.activeAlerts.set(key, alert);
    this.emit('alert-raised', { ...alert });
    this.o.notify?.('raised', { ...alert });
  }

  private clear(node: string, kind: AlertKind, at: number): void {
    const key = this.key(node, kind);
    const a = this.activeAlerts.get(key);
    if (!a) return;
    this.activeAlerts.delete(key);
    a.clearedAt = at;
    this.emit('alert-cleared', { ...a });
    this.o.notify?.('cleared', { ...a });
  }

  private newEpisode(node: string, kind: EpisodeKind, source: PowerEpisode['source'], start: number, detail?: string): PowerEpisode {
    const supply = this.memory(node).supply;
    return { id: `${node}:${kind}:${source}:${start}:${++this.seq}`, node, ...(supply ? { supply } : {}), kind, source, start, end: null, ...(detail ? { detail } : {}) };
  }

  private episode(node: string, kind: EpisodeKind, now: boolean, missedBetweenPolls: boolean, at: number, detail: string): void {
    const mem = this.memory(node);
    const open = mem.episodes[kind];
    if (now && open) this.episodeSeen.set(open.id, at);
    else if (now && !open) {
      const ep = this.newEpisode(node, kind, 'telemetry', at, detail);
      mem.episodes[kind] = ep;
      this.episodeSeen.set(ep.id, at);
      this.emit('episode-started', { ...ep });
    } else if (!now && open) {
      open.end = at;
      delete mem.episodes[kind];
      this.episodeSeen.delete(open.id);
      this.emit('episode-ended', { ...open });
    } else if (missedBetweenPolls) {
      const ep = this.newEpisode(node, kind, 'telemetry', at, `${detail} (between two polls)`);
      ep.end = at;
      this.emit('episode-started', { ...ep });
      this.emit('episode-ended', { ...ep });
    }
  }
}
