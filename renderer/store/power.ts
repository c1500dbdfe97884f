// Power and health: the active alerts (acknowledged ones too, until they clear),
// each node's latest telemetry, the open node's history and the fleet timeline.
// Samples and alerts stream in from the main process; the dev bridge also shows
// browser notifications, since there is no Electron main process to do it.
import { create } from 'zustand';
import type { Alert, HistoryEventView, MetricPoint, PowerEpisode, SupplyFindingView } from '../../shared/power';
import type { NodeTelemetry } from '../../shared/telemetry';
import { bridge } from '../bridge';
import { useApp } from './app';
import { useNavigation } from './navigation';

export const HISTORY_RANGES = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '24h', label: '24 h', ms: 86_400_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number]['id'];

export const TIMELINE_RANGES = [
  { id: '15m', label: 'Last 15 min', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 h', ms: 86_400_000 },
] as const;
export type TimelineRange = (typeof TIMELINE_RANGES)[number]['id'];

export interface NodeHistory {
  node: string;
  range: HistoryRange;
  from: number;
  points: MetricPoint[];
  events: HistoryEventView[];
  episodes: PowerEpisode[];
  loading: boolean;
  error: string | undefined;
}

export interface Timeline {
  range: TimelineRange;
  from: number;
  to: number;
  groups: { supply: string | null; nodes: string[] }[];
  episodes: PowerEpisode[];
  findings: SupplyFindingView[];
}

export type NotificationState = NotificationPermission | 'unsupported';

interface PowerState {
  alerts: Alert[];
  latest: Record<string, NodeTelemetry>;
  loaded: boolean;
  error: string | undefined;
  history: NodeHistory | undefined;
  timeline: Timeline | undefined;
  timelineError: string | undefined;
  notificationPermission: NotificationState;
  load(): Promise<void>;
  acknowledge(id: string): Promise<void>;
  loadHistory(node: string, range: HistoryRange): Promise<void>;
  closeHistory(): void;
  loadTimeline(range: TimelineRange): Promise<void>;
  requestNotifications(): Promise<void>;
}

const rangeMs = (id: HistoryRange) => HISTORY_RANGES.find((r) => r.id === id)!.ms;

/** Critical first, then the newest: the same order the main process uses. */
export function sortAlerts(alerts: Alert[]): Alert[] {
  return [...alerts].sort((a, b) => (a.severity === b.severity ? b.raisedAt - a.raisedAt : a.severity === 'critical' ? -1 : 1));
}

function notificationPermission(): NotificationState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export const usePower = create<PowerState>()((set, get) => ({
  alerts: [],
  latest: {},
  loaded: false,
  error: undefined,
  history: undefined,
  timeline: undefined,
  timelineError: undefined,
  notificationPermission: notificationPermission(),

  async load() {
    try {
      const overview = await bridge.power.overview({});
      const latest: Record<string, NodeTelemetry> = { ...get().latest };
      for (const n of overview) if (n.telemetry && (latest[n.name]?.at ?? 0) <= n.telemetry.at) latest[n.name] = n.telemetry;
      const alerts = overview.flatMap((n) => n.alerts);
      // Alerts already on screen when the app opens were announced before: no notification for them.
      for (const a of alerts) notified.add(a.id);
      set({ alerts: sortAlerts(alerts), latest, loaded: true, error: undefined });
    } catch (error) {
      set({ loaded: true, error: (error as Error).message });
    }
  },

  async acknowledge(id) {
    // Dimmed at once; the acknowledged event (or a reload) confirms it.
    set((s) => ({ alerts: s.alerts.map((a) => (a.id === id && a.acknowledgedAt === null ? { ...a, acknowledgedAt: Date.now() } : a)) }));
    try {
      await bridge.power.acknowledge({ id });
    } catch (error) {
      set({ error: (error as Error).message });
      void get().load();
    }
  },

  async loadHistory(node, range) {
    const to = Date.now();
    const from = to - rangeMs(range);
    const prev = get().history;
    const same = prev?.node === node && prev.range === range;
    set({ history: { node, range, from, points: same ? prev.points : [], events: same ? prev.events : [], episodes: same ? prev.episodes : [], loading: true, error: undefined } });
    try {
      const r = await bridge.power.history({ node, from, to });
      const cur = get().history;
      if (cur?.node !== node || cur.range !== range) return; // the user moved on meanwhile
      // Samples that streamed in while the request was out are kept.
      const lastAt = r.points.at(-1)?.at ?? -Infinity;
      const live = cur.points.filter((p) => p.bucketMs === 0 && p.at > lastAt);
      set({ history: { ...cur, from, points: [...r.points, ...live], events: r.events, episodes: r.episodes, loading: false } });
    } catch (error) {
      const cur = get().history;
      if (cur?.node === node) set({ history: { ...cur, loading: false, error: (error as Error).message } });
    }
  },

  closeHistory: () => set({ history: undefined }),

  async loadTimeline(range) {
    const to = Date.now();
    const from = to - TIMELINE_RANGES.find((r) => r.id === range)!.ms;
    try {
      const r = await bridge.power.timeline({ from, to });
      set({ timeline: { range, from, to, ...r }, timelineError: undefined });
    } catch (error) {
      set({ timelineError: (error as Error).message });
    }
  },

  async requestNotifications() {
    if (typeof Notification === 'undefined') return;
    const result = await Notification.requestPermission();
    set({ notificationPermission: result });
  },
}));

/** A live sample as a raw history point, so an open chart moves without a reload. */
export function pointOf(t: NodeTelemetry): MetricPoint {
  const memUsedPct = t.memTotalKiB && t.memAvailableKiB !== null ? Math.round((1 - t.memAvailableKiB / t.memTotalKiB) * 1000) / 10 : null;
  return {
    at: t.at,
    bucketMs: 0,
    samples: 1,
    tempC: t.tempC,
    tempMaxC: t.tempC,
    coreVolts: t.coreVolts,
    inputVolts: t.inputVolts,
    inputVoltsMin: t.inputVolts,
    throttled: t.throttled,
    load1: t.load1,
    memUsedPct,
  };
}

/** Alert ids already shown as a notification (or present at start): once per alert, never again. */
const notified = new Set<string>();

function notify(alert: Alert): void {
  if (notified.has(alert.id)) return;
  notified.add(alert.id);
  const { info, settings } = useApp.getState();
  // In Electron the main process shows a native notification itself.
  if (info?.transport !== 'dev-bridge' || !settings?.notifications) return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const n = new Notification(`${alert.node}: ${alert.title}`, { body: alert.message, tag: alert.id });
  n.onclick = () => {
    window.focus();
    openNodePower(alert.node);
  };
}

export function openNodePower(node: string): void {
  useNavigation.getState().openNode(node);
  useNavigation.getState().setNodeTab('power');
}

function applyAlert(event: 'raised' | 'cleared' | 'acknowledged', alert: Alert): void {
  usePower.setState((s) => {
    const others = s.alerts.filter((a) => a.id !== alert.id);
    return { alerts: event === 'cleared' ? others : sortAlerts([...others, alert]) };
  });
  if (event === 'raised') notify(alert);
}

function applySample(node: string, t: NodeTelemetry): void {
  usePower.setState((s) => {
    const latest = { ...s.latest, [node]: t };
    const h = s.history;
    if (h?.node !== node) return { latest };
    // The window slides with time; points that fall off its left edge go.
    const from = Date.now() - rangeMs(h.range);
    const points = h.points[0] && h.points[0].at < from ? h.points.filter((p) => p.at >= from) : h.points;
    return { latest, history: { ...h, from, points: [...points, pointOf(t)] } };
  });
}

/** Keeps the store in step with samples and alerts pushed by the main process. */
export function subscribePowerEvents(): () => void {
  const offs = [
    bridge.on('power:sample', ({ node, telemetry }) => applySample(node, telemetry)),
    bridge.on('power:alert', ({ event, alert }) => applyAlert(event, alert)),
  ];
  return () => offs.forEach((off) => off());
}
