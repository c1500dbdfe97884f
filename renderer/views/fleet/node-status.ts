// How a node's state reads at a glance: its tone (the colour), the word for its
// status, why it needs attention, and its vitals in human units.
import type { NodeState, NodeStatus, NodeVitals } from '../../../shared/fleet';
import { decodeThrottled } from '../../../shared/throttle';
import type { Status } from '../../components/StatusPill';

export const HOT_C = 80;

export type Tone = 'online' | 'offline' | 'warning' | 'idle';

export const STATUS_WORD: Record<NodeStatus, string> = {
  pending: 'pending',
  connecting: 'connecting',
  online: 'online',
  offline: 'offline',
  'auth-failed': 'login failed',
  'host-key-unknown': 'unknown host key',
  'host-key-mismatch': 'host key changed',
};

/**
 * Why a node wants the user's attention, or undefined. A node counts as a
 * warning when the user has to act (login failed, host key unknown or changed)
 * or when it is online but hurting right now: any "now" throttle bit set
 * (under-voltage, capped, throttled, soft temperature limit) or at/above 80 °C,
 * where a Pi starts to throttle. Past ("since boot") throttling alone is shown
 * on the tile's badge but does not turn the tile amber: it is history, and
 * every tile of a cluster with one brown-out would stay amber until reboot.
 */
export function warningOf(state: NodeState): string | undefined {
  if (state.status === 'auth-failed') return 'login failed';
  if (state.status === 'host-key-unknown') return 'host key not trusted yet';
  if (state.status === 'host-key-mismatch') return 'host key changed';
  if (state.status !== 'online' || !state.vitals) return undefined;
  const { throttled, tempC } = state.vitals;
  if (throttled !== null) {
    const t = decodeThrottled(throttled);
    if (t.flags.underVoltageNow || t.flags.freqCappedNow || t.flags.throttledNow || t.flags.softTempLimitNow) return t.summary.split(';')[0]!.toLowerCase();
  }
  if (tempC !== null && tempC >= HOT_C) return `hot (${Math.round(tempC)} °C)`;
  return undefined;
}

/** A reboot Bramble started: the node is down on purpose, so it is grey ("rebooting"), not red. */
export function isRebooting(state: NodeState): boolean {
  return state.activity === 'rebooting';
}

export function statusWord(state: NodeState): string {
  return isRebooting(state) ? 'rebooting' : STATUS_WORD[state.status];
}

/** Exclusive buckets, so the summary's numbers add up to the fleet's size. */
export function toneOf(state: NodeState): Tone {
  if (isRebooting(state)) return 'idle';
  if (warningOf(state)) return 'warning';
  if (state.status === 'online') return 'online';
  if (state.status === 'offline') return 'offline';
  return 'idle';
}

export function pillOf(state: NodeState): Status {
  const tone = toneOf(state);
  if (tone === 'idle') return state.status === 'pending' ? 'pending' : 'connecting';
  return tone;
}

/** "node-03, online" or "node-03, online, throttled now": what a screen reader hears for a tile. */
export function accessibleName(state: NodeState): string {
  const warning = warningOf(state);
  const word = statusWord(state);
  return warning && !word.includes(warning) && state.status === 'online' ? `${state.name}, ${word}, ${warning}` : `${state.name}, ${word}`;
}

export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min`;
  return `${Math.floor(seconds)} s`;
}

export function memoryUsedPercent(v: NodeVitals): number | undefined {
  if (v.memTotalKiB <= 0) return undefined;
  return Math.round(((v.memTotalKiB - v.memAvailableKiB) / v.memTotalKiB) * 100);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
