// Alerts and power episodes as services, store and UI see them.
import { z } from 'zod';

export const AlertKindSchema = z.enum(['under-voltage-now', 'under-voltage-since-boot', 'under-voltage-logged', 'throttled-now', 'over-temperature', 'offline']);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const AlertSeveritySchema = z.enum(['critical', 'warning']);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

export const AlertSchema = z.object({
  /** Unique per episode: node, kind and when it was raised. */
  id: z.string(),
  node: z.string(),
  supply: z.string().optional(),
  kind: AlertKindSchema,
  severity: AlertSeveritySchema,
  title: z.string(),
  message: z.string(),
  raisedAt: z.number(),
  /** Last time the condition was seen (a poll or a kernel line). */
  lastSeenAt: z.number(),
  clearedAt: z.number().nullable(),
  acknowledgedAt: z.number().nullable(),
  /** Kernel lines (or polls) that reported it during this episode. */
  count: z.number(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const EpisodeKindSchema = z.enum(['under-voltage', 'throttled']);
export type EpisodeKind = z.infer<typeof EpisodeKindSchema>;

/** A stretch of time a node was short of power or throttled, for the timeline and the supply finder. */
export const PowerEpisodeSchema = z.object({
  id: z.string(),
  node: z.string(),
  supply: z.string().optional(),
  kind: EpisodeKindSchema,
  /** telemetry: seen in get_throttled; kernel: a kernel log line. */
  source: z.enum(['telemetry', 'kernel']),
  start: z.number(),
  /** null while it lasts; equal to start for a one-off (a log line, or a sag between two polls). */
  end: z.number().nullable(),
  detail: z.string().optional(),
});
export type PowerEpisode = z.infer<typeof PowerEpisodeSchema>;

/** One point of a node's history: a raw sample, or a bucket's averages once downsampled. */
export const MetricPointSchema = z.object({
  /** Sample time, or a bucket's start. */
  at: z.number(),
  /** 0 for a raw sample, else the bucket length (60 000 for a minute). */
  bucketMs: z.number(),
  samples: z.number(),
  tempC: z.number().nullable(),
  tempMaxC: z.number().nullable(),
  coreVolts: z.number().nullable(),
  inputVolts: z.number().nullable(),
  inputVoltsMin: z.number().nullable(),
  /** For a bucket: every throttle bit seen in it (OR). */
  throttled: z.number().nullable(),
  load1: z.number().nullable(),
  memUsedPct: z.number().nullable(),
});
export type MetricPoint = z.infer<typeof MetricPointSchema>;

export const HistoryEventSchema = z.object({
  node: z.string(),
  at: z.number(),
  kind: z.string(),
  severity: z.enum(['critical', 'warning', 'info']).optional(),
  message: z.string(),
});
export type HistoryEventView = z.infer<typeof HistoryEventSchema>;

/** "3 of 4 nodes on supply A reported under-voltage within 10 s of each other…" */
export const SupplyFindingSchema = z.object({
  supply: z.string(),
  verdict: z.enum(['suspect-supply', 'suspect-port']),
  groupSize: z.number(),
  maxNodes: z.number(),
  incidents: z.array(z.object({ start: z.number(), end: z.number(), nodes: z.array(z.string()) })),
  node: z.string().optional(),
  message: z.string(),
});
export type SupplyFindingView = z.infer<typeof SupplyFindingSchema>;
