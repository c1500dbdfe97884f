// What the log list shows: the buffer through the client-side filter. New
// batches are filtered on their own and appended; only a filter change, a new
// stream or lines dropped off the front cost a pass over the whole buffer.
import type { LogEntry } from '../../../../shared/logs/log-entry';
import type { LogFilter } from '../../../../shared/logs/log-filter';
import type { LogStore } from '../../../../shared/logs/log-store';

export class VisibleLines {
  private store: LogStore | undefined;
  private key = '';
  private endSeq = 0;
  private dropped = 0;
  private entries: LogEntry[] = [];

  update(store: LogStore, filter: LogFilter): LogEntry[] {
    const key = JSON.stringify(filter);
    if (store === this.store && key === this.key) {
      const r = store.query({ ...filter, sinceSeq: this.endSeq });
      if (r.dropped === this.dropped) {
        this.endSeq = r.endSeq;
        if (r.entries.length) this.entries = this.entries.concat(r.entries);
        return this.entries;
      }
    }
    const r = store.query(filter);
    this.store = store;
    this.key = key;
    this.endSeq = r.endSeq;
    this.dropped = r.dropped;
    this.entries = r.entries;
    return this.entries;
  }
}
