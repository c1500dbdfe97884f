// Log views the UI has open: each follows one node's journal or kernel log over
// the fleet's connection and pushes entries in batches as logs:entries events.
import { randomUUID } from 'node:crypto';
import type { LogEntry } from '../../../shared/logs/log-entry';
import type { Emit } from '../event-hub';
import type { FleetService } from '../fleet/fleet-service';
import { UserError } from '../user-error';
import { followLog } from './follow-log';

export interface OpenLogRequest {
  node: string;
  kernel: boolean;
  unit?: string;
  priority?: number;
  lines: number;
  follow: boolean;
  since?: number;
}

/** Batches go out at most this often, so a burst of lines costs one event, not thousands. */
const FLUSH_MS = 100;

export class LogStreams {
  private readonly open = new Map<string, AbortController>();

  constructor(
    private readonly fleet: FleetService,
    private readonly emit: Emit,
  ) {}

  start(req: OpenLogRequest): string {
    const c = this.fleet.connection(req.node);
    if (!c) throw new UserError(`There is no node called ${req.node} in the fleet.`);
    if (!c.online) throw new UserError(`${req.node} is ${c.status}; its logs can be read once it is online.`);
    const streamId = randomUUID();
    const abort = new AbortController();
    this.open.set(streamId, abort);
    let pending: LogEntry[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      if (pending.length === 0) return;
      const entries = pending;
      pending = [];
      this.emit('logs:entries', { streamId, entries });
    };
    void followLog(c, {
      node: req.node,
      kernel: req.kernel,
      unit: req.unit,
      priority: req.priority,
      lines: req.lines,
      since: req.since,
      follow: req.follow,
      signal: abort.signal,
      onEntries: (entries) => {
        pending.push(...entries);
        timer ??= setTimeout(flush, FLUSH_MS);
      },
    })
      .then(
        (r) => (r.ended === 'aborted' ? 'closed' : req.follow ? 'the log stream ended' : `read ${r.entries} lines`),
        (e: Error) => `the log stopped: ${e.message}`,
      )
      .then((reason) => {
        clearTimeout(timer);
        flush();
        this.open.delete(streamId);
        this.emit('logs:ended', { streamId, reason });
      });
    return streamId;
  }

  close(streamId: string): void {
    this.open.get(streamId)?.abort();
  }

  closeAll(): void {
    for (const a of this.open.values()) a.abort();
  }
}
