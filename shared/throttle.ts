// What `vcgencmd get_throttled` means, for services and UI alike. The firmware
// keeps the low bits for "right now" and the high bits sticky until reboot, so
// a short sag between two polls still shows up in the "since boot" half.

export const THROTTLE_BITS = {
  underVoltageNow: 0x1,
  freqCappedNow: 0x2,
  throttledNow: 0x4,
  softTempLimitNow: 0x8,
  underVoltageSinceBoot: 0x10000,
  freqCappedSinceBoot: 0x20000,
  throttledSinceBoot: 0x40000,
  softTempLimitSinceBoot: 0x80000,
} as const;

export type ThrottleFlag = keyof typeof THROTTLE_BITS;
export type ThrottleFlags = Record<ThrottleFlag, boolean>;
export type Severity = 'critical' | 'warning' | 'ok';

export const THROTTLE_FLAGS = Object.keys(THROTTLE_BITS) as ThrottleFlag[];

export const THROTTLE_LABELS: Record<ThrottleFlag, string> = {
  underVoltageNow: 'under-voltage now',
  freqCappedNow: 'ARM frequency capped now',
  throttledNow: 'throttled now',
  softTempLimitNow: 'soft temperature limit active now',
  underVoltageSinceBoot: 'under-voltage has occurred since boot',
  freqCappedSinceBoot: 'frequency capping has occurred since boot',
  throttledSinceBoot: 'throttling has occurred since boot',
  softTempLimitSinceBoot: 'soft temperature limit has occurred since boot',
};

/** Prometheus-style names (snake case), stable for dashboards. */
export const THROTTLE_METRIC_NAMES: Record<ThrottleFlag, string> = {
  underVoltageNow: 'under_voltage_now',
  freqCappedNow: 'freq_capped_now',
  throttledNow: 'throttled_now',
  softTempLimitNow: 'soft_temp_limit_now',
  underVoltageSinceBoot: 'under_voltage_since_boot',
  freqCappedSinceBoot: 'freq_capped_since_boot',
  throttledSinceBoot: 'throttled_since_boot',
  softTempLimitSinceBoot: 'soft_temp_limit_since_boot',
};

export interface ThrottleState {
  raw: number;
  /** `0x50005` as the firmware prints it. */
  hex: string;
  flags: ThrottleFlags;
  /** Flags that are set, "now" ones first. */
  active: ThrottleFlag[];
  /**
   * critical: the board is short of power right now (its behaviour is unreliable);
   * warning: anything else set (capped, throttled, soft limit, or any past event);
   * ok: nothing set.
   */
  severity: Severity;
  /** One line for a tile or a tooltip, e.g. "Under-voltage now; throttled now". */
  summary: string;
}

/** The number in `throttled=0x50005` (also accepts a bare `0x...`); null when the text has none. */
export function parseThrottled(text: string): number | null {
  const m = /(?:^|throttled=)\s*(0x[0-9a-f]+)/im.exec(text);
  if (!m) return null;
  const n = Number.parseInt(m[1]!.slice(2), 16);
  return Number.isSafeInteger(n) ? n : null;
}

export function decodeThrottled(raw: number): ThrottleState {
  const flags = {} as ThrottleFlags;
  for (const f of THROTTLE_FLAGS) flags[f] = (raw & THROTTLE_BITS[f]) !== 0;
  const active = THROTTLE_FLAGS.filter((f) => flags[f]);
  const severity: Severity = flags.underVoltageNow ? 'critical' : active.length > 0 ? 'warning' : 'ok';
  return { raw, hex: `0x${raw.toString(16)}`, flags, active, severity, summary: summarise(flags) };
}

function summarise(f: ThrottleFlags): string {
  const now: string[] = [];
  if (f.underVoltageNow) now.push('under-voltage now');
  if (f.throttledNow) now.push('throttled now');
  if (f.freqCappedNow) now.push('frequency capped now');
  if (f.softTempLimitNow) now.push('soft temperature limit now');
  // Past events are only worth a mention when they are not also happening now.
  const past: string[] = [];
  if (f.underVoltageSinceBoot && !f.underVoltageNow) past.push('under-voltage');
  if (f.throttledSinceBoot && !f.throttledNow) past.push('throttling');
  if (f.freqCappedSinceBoot && !f.freqCappedNow) past.push('frequency capping');
  if (f.softTempLimitSinceBoot && !f.softTempLimitNow) past.push('soft temperature limit');
  const parts = [...now];
  if (past.length) parts.push(`${past.join(', ')} since boot`);
  if (!parts.length) return 'OK: no under-voltage or throttling since boot';
  const text = parts.join('; ');
  return text[0]!.toUpperCase() + text.slice(1);
}
