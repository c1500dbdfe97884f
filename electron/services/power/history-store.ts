// Power and health history on disk: metrics (raw for an hour, then one row per
// node per minute), events (alerts, kernel lines) and power episodes, kept for
// 30 days by default. SQLite in WAL mode: the poller writes while the UI reads.
import type Database from 'better-sqlite3';
import { requireNative } from '../native';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { THROTTLE_BITS } from '../../../shared/throttle';
import type { PowerEpisode } from '../../../shared/power';

export interface MetricSample {
  node: string;
  at: number;
  tempC: number | null;
  coreVolts: number | null;
  inputVolts: number | null;
  throttled: number | null;
  load1: number | null;
  /** Memory in use, percent of total. */
  memUsedPct: number | null;
}

export interface MetricPoint {
  /** Sample time, or a bucket's start. */
  at: number;
  /** 0 for a raw sample, else the bucket length (60 000 for a minute). */
  bucketMs: number;
  /** Samples behind the point. */
  samples: number;
  /** Averages for a bucket. */
  tempC: number | null;
  tempMaxC: number | null;
  coreVolts: number | null;
  inputVolts: number | null;
  inputVoltsMin: number | null;
  /** For a bucket: every throttle bit seen in it (OR). */
  throttled: number | null;
  load1: number | null;
  memUsedPct: number | null;
}

/**
 * kind conventions: 'alert-raised' | 'alert-cleared' | 'alert-acknowledged'
 * (data: the Alert), 'kernel-line' (data: { power }), 'status' (online/offline).
 */
export interface HistoryEvent {
  id?: number;
  node: string;
  at: number;
  kind: string;
  severity?: 'critical' | 'warning' | 'info';
  message: string;
  data?: unknown;
}

export interface EventQuery {
  from: number;
  to: number;
  node?: string;
  kinds?: string[];
  /** Newest first when limited; default 10 000. */
  limit?: number;
}

export interface HistoryStore {
  addSamples(samples: readonly MetricSample[]): void;
  addEvents(events: readonly HistoryEvent[]): void;
  /** Insert, or update the end of, an episode (by id). */
  saveEpisode(episode: PowerEpisode): void;
  /** One node's metrics in [from, to], oldest first: minute buckets where downsampled, raw samples after. */
  series(node: string, from: number, to: number): MetricPoint[];
  events(q: EventQuery): HistoryEvent[];
  /** Every node's episodes overlapping [from, to] (open ones included), oldest first: the fleet power timeline. */
  episodes(from: number, to: number, node?: string): PowerEpisode[];
  /** Downsample what is older than the raw window, drop what is older than the retention. */
  maintain(now?: number): { downsampled: number; pruned: number };
  close(): void;
}

export interface HistoryStoreOptions {
  /** Raw samples kept this long before they become minute buckets; default 1 h. */
  rawMs?: number;
  /** Default 60 s. */
  bucketMs?: number;
  /** Default 30 days. */
  retentionMs?: number;
}

const BIT_OR = Object.values(THROTTLE_BITS)
  .map((b) => `MAX(throttled & ${b})`)
  .join(' | ');

const mergeAvg = (c: string) =>
  `${c} = CASE WHEN excluded.${c} IS NULL THEN ${c} WHEN ${c} IS NULL THEN excluded.${c} ELSE (${c} * n + excluded.${c} * excluded.n) / (n + excluded.n) END`;

export class SqliteHistoryStore implements HistoryStore {
  private readonly db: Database.Database;
  private readonly rawMs: number;
  private readonly bucketMs: number;
  private readonly retentionMs: number;
  private readonly insertSampleTx: (rows: readonly MetricSample[]) => void;
  private readonly insertEventTx: (rows: readonly HistoryEvent[]) => void;
  private readonly st: Record<string, Database.Statement>;

  constructor(file: string, o: HistoryStoreOptions = {}) {
    this.rawMs = o.rawMs ?? 3_600_000;
    this.bucketMs = o.bucketMs ?? 60_000;
    this.retentionMs = o.retentionMs ?? 30 * 86_400_000;
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    // Loaded here, not at import: only the app's power history opens it.
    const Sqlite = requireNative('better-sqlite3') as typeof Database;
    this.db = new Sqlite(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS metrics_raw (
        node TEXT NOT NULL, at INTEGER NOT NULL, temp REAL, core_v REAL, input_v REAL,
        throttled INTEGER, load1 REAL, mem_pct REAL);
      CREATE INDEX IF NOT EXISTS metrics_raw_node_at ON metrics_raw (node, at);
      CREATE INDEX IF NOT EXISTS metrics_raw_at ON metrics_raw (at);
      CREATE TABLE IF NOT EXISTS metrics_bucket (
        node TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL,
        temp REAL, temp_max REAL, core_v REAL, input_v REAL, input_v_min REAL,
        throttled INTEGER, load1 REAL, mem_pct REAL,
        PRIMARY KEY (node, bucket)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY, node TEXT NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL,
        severity TEXT, message TEXT NOT NULL, data TEXT);
      CREATE INDEX IF NOT EXISTS events_at ON events (at);
      CREATE INDEX IF NOT EXISTS events_node_at ON events (node, at);
      CREATE TABLE IF NOT EXISTS episodes (
        id TEXT PRIMARY KEY, node TEXT NOT NULL, supply TEXT, kind TEXT NOT NULL, source TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER, detail TEXT);
      CREATE INDEX IF NOT EXISTS episodes_start ON episodes (start);
    `);
    this.st = {
      sample: this.db.prepare(
        'INSERT INTO metrics_raw (node, at, temp, core_v, input_v, throttled, load1, mem_pct) VALUES (@node, @at, @tempC, @coreVolts, @inputVolts, @throttled, @load1, @memUsedPct)',
      ),
      event: this.db.prepare('INSERT INTO events (node, at, kind, severity, message, data) VALUES (?, ?, ?, ?, ?, ?)'),
      episode: this.db.prepare(
        `INSERT INTO episodes (id, node, supply, kind, source, start, "end", detail) VALUES (@id, @node, @supply, @kind, @source, @start, @end, @detail)
         ON CONFLICT (id) DO UPDATE SET "end" = excluded."end", detail = COALESCE(excluded.detail, detail)`,
      ),
      buckets: this.db.prepare('SELECT bucket, n, temp, temp_max, core_v, input_v, input_v_min, throttled, load1, mem_pct FROM metrics_bucket WHERE node = ? AND bucket BETWEEN ? AND ? ORDER BY bucket'),
      raw: this.db.prepare('SELECT at, temp, core_v, input_v, throttled, load1, mem_pct FROM metrics_raw WHERE node = ? AND at BETWEEN ? AND ? ORDER BY at'),
      episodes: this.db.prepare(
        `SELECT id, node, supply, kind, source, start, "end", detail FROM episodes
         WHERE start <= @to AND COALESCE("end", @to) >= @from AND (@node IS NULL OR node = @node) ORDER BY start, id`,
      ),
      downsample: this.db.prepare(`
        INSERT INTO metrics_bucket (node, bucket, n, temp, temp_max, core_v, input_v, input_v_min, throttled, load1, mem_pct)
        SELECT node, (at / CAST(@size AS INTEGER)) * CAST(@size AS INTEGER) AS b, COUNT(*), AVG(temp), MAX(temp), AVG(core_v), AVG(input_v), MIN(input_v),
               ${BIT_OR}, AVG(load1), AVG(mem_pct)
        FROM metrics_raw WHERE at < @cutoff GROUP BY node, b
        ON CONFLICT (node, bucket) DO UPDATE SET
          ${['temp', 'core_v', 'input_v', 'load1', 'mem_pct'].map(mergeAvg).join(',\n          ')},
          temp_max = MAX(COALESCE(temp_max, excluded.temp_max), COALESCE(excluded.temp_max, temp_max)),
          input_v_min = MIN(COALESCE(input_v_min, excluded.input_v_min), COALESCE(excluded.input_v_min, input_v_min)),
          throttled = COALESCE(throttled, 0) | COALESCE(excluded.throttled, 0),
          n = n + excluded.n`),
      dropRaw: this.db.prepare('DELETE FROM metrics_raw WHERE at < ?'),
      pruneBuckets: this.db.prepare('DELETE FROM metrics_bucket WHERE bucket < ?'),
      pruneEvents: this.db.prepare('DELETE FROM events WHERE at < ?'),
      pruneEpisodes: this.db.prepare('DELETE FROM episodes WHERE COALESCE("end", start) < ?'),
    };
    this.insertSampleTx = this.db.transaction((rows: readonly MetricSample[]) => {
      for (const r of rows) this.st.sample!.run(r);
    });
    this.insertEventTx = this.db.transaction((rows: readonly HistoryEvent[]) => {
      for (const e of rows) this.st.event!.run(e.node, e.at, e.kind, e.severity ?? null, e.message, e.data === undefined ? null : JSON.stringify(e.data));
    });
  }

  addSamples(samples: readonly MetricSample[]): void {
    if (samples.length) this.insertSampleTx(samples);
  }

  addEvents(events: readonly HistoryEvent[]): void {
    if (events.length) this.insertEventTx(events);
  }

  saveEpisode(e: PowerEpisode): void {
    this.st.episode!.run({ id: e.id, node: e.node, supply: e.supply ?? null, kind: e.kind, source: e.source, start: e.start, end: e.end, detail: e.detail ?? null });
  }

  series(node: string, from: number, to: number): MetricPoint[] {
    type B = { bucket: number; n: number; temp: number | null; temp_max: number | null; core_v: number | null; input_v: number | null; input_v_min: number | null; throttled: number | null; load1: number | null; mem_pct: number | null };
    type R = { at: number; temp: number | null; core_v: number | null; input_v: number | null; throttled: number | null; load1: number | null; mem_pct: number | null };
    const buckets = (this.st.buckets!.all(node, from - this.bucketMs + 1, to) as B[]).map(
      (b): MetricPoint => ({
        at: b.bucket,
        bucketMs: this.bucketMs,
        samples: b.n,
        tempC: b.temp,
        tempMaxC: b.temp_max,
        coreVolts: b.core_v,
        inputVolts: b.input_v,
        inputVoltsMin: b.input_v_min,
        throttled: b.throttled,
        load1: b.load1,
        memUsedPct: b.mem_pct,
      }),
    );
    const raw = (this.st.raw!.all(node, from, to) as R[]).map(
      (r): MetricPoint => ({
        at: r.at,
        bucketMs: 0,
        samples: 1,
        tempC: r.temp,
        tempMaxC: r.temp,
        coreVolts: r.core_v,
        inputVolts: r.input_v,
        inputVoltsMin: r.input_v,
        throttled: r.throttled,
        load1: r.load1,
        memUsedPct: r.mem_pct,
      }),
    );
    return [...buckets, ...raw].sort((a, b) => a.at - b.at);
  }

  events(q: EventQuery): HistoryEvent[] {
    const where = ['at BETWEEN ? AND ?'];
    const args: unknown[] = [q.from, q.to];
    if (q.node !== undefined) (where.push('node = ?'), args.push(q.node));
    if (q.kinds?.length) (where.push(`kind IN (${q.kinds.map(() => '?').join(', ')})`), args.push(...q.kinds));
    args.push(q.limit ?? 10_000);
    type E = { id: number; node: string; at: number; kind: string; severity: HistoryEvent['severity'] | null; message: string; data: string | null };
    const rows = this.db.prepare(`SELECT id, node, at, kind, severity, message, data FROM events WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ?`).all(...args) as E[];
    return rows.reverse().map((r) => ({
      id: r.id,
      node: r.node,
      at: r.at,
      kind: r.kind,
      ...(r.severity ? { severity: r.severity } : {}),
      message: r.message,
      ...(r.data !== null ? { data: JSON.parse(r.data) as unknown } : {}),
    }));
  }

  episodes(from: number, to: number, node?: string): PowerEpisode[] {
    type P = { id: string; node: string; supply: string | null; kind: PowerEpisode['kind']; source: PowerEpisode['source']; start: number; end: number | null; detail: string | null };
    return (this.st.episodes!.all({ from, to, node: node ?? null }) as P[]).map((p) => ({
      id: p.id,
      node: p.node,
      ...(p.supply ? { supply: p.supply } : {}),
      kind: p.kind,
      source: p.source,
      start: p.start,
      end: p.end,
      ...(p.detail ? { detail: p.detail } : {}),
    }));
  }

  maintain(now = Date.now()): { downsampled: number; pruned: number } {
    const cutoff = Math.floor((now - this.rawMs) / this.bucketMs) * this.bucketMs;
    const keepFrom = now - this.retentionMs;
    return this.db.transaction(() => {
      this.st.downsample!.run({ size: this.bucketMs, cutoff });
      const downsampled = this.st.dropRaw!.run(cutoff).changes;
      let pruned = this.st.dropRaw!.run(keepFrom).changes;
      pruned += this.st.pruneBuckets!.run(keepFrom).changes;
      pruned += this.st.pruneEvents!.run(keepFrom).changes;
      pruned += this.st.pruneEpisodes!.run(keepFrom).changes;
      return { downsampled, pruned };
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function openHistoryStore(file: string, o?: HistoryStoreOptions): SqliteHistoryStore {
  return new SqliteHistoryStore(file, o);
}
