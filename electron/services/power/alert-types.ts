// Alerts and power episodes as services, store and UI see them. Plain types
// (no Node imports) so they can move under shared/ with the telemetry schema.
export type AlertKind =
  | 'under-voltage-now'
  | 'under-voltage-since-boot'
  | 'under-voltage-logged'
  | 'throttled-now'
  | 'over-temperature'
  | 'offline';

export type AlertSeverity = 'critical' | 'warning';

export interface Alert {
  /** Unique per episode: node, kind and when it was raised. */
  id: string;
  node: string;
  supply?: string;
  kind: AlertKind;
  severity: AlertSeverity;
  title: string;
  message: string;
  raisedAt: number;
  /** Last time the condition was seen (a poll or a kernel line). */
  lastSeenAt: number;
  clearedAt: number | null;
  acknowledgedAt: number | null;
  /** Kernel lines (or polls) that reported it during this episode. */
  count: number;
}

export type EpisodeKind = 'under-voltage' | 'throttled';

/** A stretch of time a node was short of power or throttled, for the timeline and the supply finder. */
export interface PowerEpisode {
  id: string;
  node: string;
  supply?: string;
  kind: EpisodeKind;
  /** telemetry: seen in get_throttled; kernel: a kernel log line. */
  source: 'telemetry' | 'kernel';
  start: number;
  /** null while it lasts; equal to start for a one-off (a log line, or a sag between two polls). */
  end: number | null;
  detail?: string;
}
