// One log line from a node, whichever tool it came from: `journalctl -o json`
// (journal export fields) or plain `dmesg` ("[ secs.usecs] text").
import { classifyPowerLine, type PowerLineKind } from './power-lines';

export interface LogEntry {
  /** Set by whoever knows which node the line came from. */
  node: string | undefined;
  /** ms since the epoch. */
  at: number;
  /** __REALTIME_TIMESTAMP as journald gave it (µs), for exact ordering. */
  realtimeUs: string | undefined;
  /** syslog priority 0 (emerg) .. 7 (debug); null when the source has none (plain dmesg). */
  priority: number | null;
  unit: string | undefined;
  identifier: string | undefined;
  pid: number | undefined;
  message: string;
  kernel: boolean;
  cursor: string | undefined;
  bootId: string | undefined;
  /** Power lines (under-voltage, throttling, voltage normalised), flagged for the UI. */
  power: PowerLineKind | null;
}

export const PRIORITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/** journald sends a field that is not valid UTF-8 (or has control bytes) as an array of byte values. */
function fieldText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((b) => typeof b === 'number')) return new TextDecoder().decode(Uint8Array.from(v as number[]));
    // A field that occurs more than once in the entry comes as an array of its values.
    for (const item of v) {
      const t = fieldText(item);
      if (t !== undefined) return t;
    }
    return v.length === 0 ? '' : undefined;
  }
  if (typeof v === 'number') return String(v);
  return undefined;
}

function intOrUndefined(v: unknown): number | undefined {
  const t = fieldText(v);
  if (t === undefined || t === '') return undefined;
  const n = Number(t);
  return Number.isInteger(n) ? n : undefined;
}

/** One line of `journalctl -o json`; null for a line that is not a journal entry. */
export function parseJournalJson(line: string, node?: string): LogEntry | null {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return null;
  const e = o as Record<string, unknown>;
  const us = fieldText(e.__REALTIME_TIMESTAMP);
  const at = us ? Math.floor(Number(us) / 1000) : NaN;
  const message = fieldText(e.MESSAGE) ?? '';
  const prio = intOrUndefined(e.PRIORITY);
  return {
    node,
    at: Number.isFinite(at) ? at : Date.now(),
    realtimeUs: us,
    priority: prio !== undefined && prio >= 0 && prio <= 7 ? prio : null,
    unit: fieldText(e._SYSTEMD_UNIT),
    identifier: fieldText(e.SYSLOG_IDENTIFIER),
    pid: intOrUndefined(e._PID),
    message,
    kernel: fieldText(e._TRANSPORT) === 'kernel',
    cursor: fieldText(e.__CURSOR),
    bootId: fieldText(e._BOOT_ID),
    power: classifyPowerLine(message),
  };
}

/**
 * One line of plain `dmesg`: "[   12.345678] text". `bootMs` (the node's boot
 * time) turns the monotonic stamp into wall time; without it the line is
 * stamped `fallbackAt` (when it arrived).
 */
export function parseDmesgLine(line: string, bootMs: number | undefined, fallbackAt: number, node?: string): LogEntry | null {
  if (!line) return null;
  const m = /^\[\s*(\d+)\.(\d+)\]\s?(.*)$/.exec(line);
  const message = m ? m[3]! : line;
  const monoMs = m ? Number(m[1]) * 1000 + Math.floor(Number(`0.${m[2]}`) * 1000) : undefined;
  return {
    node,
    at: bootMs !== undefined && monoMs !== undefined ? bootMs + monoMs : fallbackAt,
    realtimeUs: undefined,
    priority: null,
    unit: undefined,
    identifier: 'kernel',
    pid: undefined,
    message,
    kernel: true,
    cursor: undefined,
    bootId: undefined,
    power: classifyPowerLine(message),
  };
}
