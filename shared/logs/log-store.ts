// The lines a log view has received, across nodes, bounded by the user's
// buffer size. Queries run the same filter an export uses.
import type { LogEntry } from './log-entry';
import { compileLogFilter, type LogFilter } from './log-filter';
import { DEFAULT_LOG_BUFFER_LINES, LogRing } from './log-ring';

export interface LogQuery extends LogFilter {
  /** Only lines added at or after this sequence number (from a previous result's `endSeq`). */
  sinceSeq?: number;
  /** The newest `limit` matches; default all. */
  limit?: number;
}

export interface LogQueryResult {
  entries: LogEntry[];
  /** Pass as `sinceSeq` next time to get only newer lines. */
  endSeq: number;
  /** Lines the buffer has dropped so far (the view can say "older lines were discarded"). */
  dropped: number;
}

export class LogStore {
  private readonly ring: LogRing<LogEntry>;

  constructor(capacity = DEFAULT_LOG_BUFFER_LINES) {
    this.ring = new LogRing(capacity);
  }

  add(entries: readonly LogEntry[]): void {
    this.ring.pushMany(entries);
  }

  get size(): number {
    return this.ring.size;
  }

  resize(capacity: number): void {
    this.ring.resize(capacity);
  }

  clear(): void {
    this.ring.clear();
  }

  query(q: LogQuery = {}): LogQueryResult {
    const keep = compileLogFilter(q);
    const from = q.sinceSeq ?? this.ring.firstSeq;
    let entries = this.ring.since(from).filter(keep);
    if (q.limit !== undefined && entries.length > q.limit) entries = entries.slice(entries.length - q.limit);
    return { entries, endSeq: this.ring.endSeq, dropped: this.ring.dropped };
  }
}
