// Commands the user runs on several nodes from the Fleet view: each run has an
// id, streams its output per node as events, and can be cancelled.
import { randomUUID } from 'node:crypto';
import type { Emit } from '../event-hub';
import type { FleetService } from './fleet-service';

export interface RunRequest {
  nodes: string[];
  command: string;
  timeoutSeconds: number;
  concurrency: number;
}

export class FleetRuns {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly fleet: FleetService,
    private readonly emit: Emit,
  ) {}

  start(req: RunRequest): { runId: string } {
    for (const n of req.nodes) this.fleet.execFor(n); // unknown names fail before anything runs
    const runId = randomUUID();
    const abort = new AbortController();
    this.running.set(runId, abort);
    void this.fleet
      .run({
        nodes: req.nodes,
        command: req.command,
        timeoutMs: req.timeoutSeconds * 1000,
        concurrency: req.concurrency,
        signal: abort.signal,
        onOutput: (node, stream, chunk) => this.emit('fleet:run-output', { runId, node, stream, chunk }),
        onResult: (result) => this.emit('fleet:run-result', { runId, result }),
      })
      .then((results) => this.emit('fleet:run-done', { runId, results }))
      .finally(() => this.running.delete(runId));
    return { runId };
  }

  cancel(runId: string): boolean {
    const run = this.running.get(runId);
    run?.abort();
    return Boolean(run);
  }

  cancelAll(): void {
    for (const r of this.running.values()) r.abort();
  }
}
