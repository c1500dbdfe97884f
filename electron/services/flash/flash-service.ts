// Flash jobs as the app sees them: start one (after checking every target
// against a fresh drive list), follow its progress, cancel it. The work itself
// happens in the writer process; this service never opens a drive.
import { randomUUID } from 'node:crypto';
import type { FlashJob } from '../../../shared/contract';
import type { Emit } from '../event-hub';
import type { DriveService } from '../drives/drive-service';
import { inspectImage } from '../images/inspect-image';
import { UserError } from '../user-error';
import { refuseTarget } from './target-policy';
import { startWriter as defaultStartWriter, type WriterHandle } from './writer-client';
import type { WriteJob } from './writer/protocol';

export interface FlashRequest {
  image: string;
  targets: string[];
  allowSystemDrive?: boolean;
}

export type StartWriter = (job: WriteJob, options: { onProgress?: (t: FlashJob['targets']) => void }) => WriterHandle;

export class FlashService {
  private readonly jobs = new Map<string, { job: FlashJob; handle?: WriterHandle }>();

  constructor(
    private readonly emit: Emit,
    private readonly drives: Pick<DriveService, 'current'>,
    private readonly startWriter: StartWriter = defaultStartWriter,
  ) {}

  async start(request: FlashRequest): Promise<FlashJob> {
    if (this.running().length > 0) throw new UserError('A write is already running; wait for it to finish or cancel it first.');
    const image = await inspectImage(request.image);
    const drives = await this.drives.current();
    for (const target of request.targets) {
      const why = refuseTarget(target, drives, image.path, image.size, request.allowSystemDrive);
      if (why) throw new UserError(why);
    }
    const job: FlashJob = {
      jobId: randomUUID(),
      image,
      state: 'running',
      startedAt: new Date().toISOString(),
      targets: request.targets.map((target) => ({ target, phase: 'starting', bytes: 0, total: image.size ?? 0, speed: 0 })),
    };
    const entry: { job: FlashJob; handle?: WriterHandle } = { job };
    this.jobs.set(job.jobId, entry);
    entry.handle = this.startWriter(
      { image: image.path, targets: request.targets, allowSystemDrive: request.allowSystemDrive },
      {
        onProgress: (targets) => {
          entry.job = { ...entry.job, targets };
          this.emit('flash:progress', entry.job);
        },
      },
    );
    entry.handle.result.then(
      (result) => {
        entry.job = {
          ...entry.job,
          state: result.cancelled ? 'cancelled' : result.ok ? 'done' : 'failed',
          seconds: result.seconds,
          error: result.error,
          targets: entry.job.targets.map((t) => {
            const r = result.targets.find((x) => x.target === t.target);
            return r ? { ...t, phase: r.phase, error: r.error, eta: undefined, speed: 0 } : t;
          }),
        };
        this.emit('flash:done', entry.job);
      },
      (error: Error) => {
        entry.job = {
          ...entry.job,
          state: 'failed',
          error: error.message,
          targets: entry.job.targets.map((t) => (t.phase === 'done' ? t : { ...t, phase: 'failed', error: t.error ?? error.message })),
        };
        this.emit('flash:done', entry.job);
      },
    );
    return job;
  }

  cancel(jobId: string): boolean {
    const entry = this.jobs.get(jobId);
    if (!entry || entry.job.state !== 'running') return false;
    entry.handle?.cancel();
    return true;
  }

  list(): FlashJob[] {
    return [...this.jobs.values()].map((e) => e.job);
  }

  /** Resolves when the job ends (for the CLI and tests). */
  async wait(jobId: string): Promise<FlashJob> {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new UserError(`There is no write job ${jobId}.`);
    await entry.handle?.result.catch(() => {});
    await new Promise((r) => setImmediate(r));
    return this.jobs.get(jobId)!.job;
  }

  private running(): FlashJob[] {
    return this.list().filter((j) => j.state === 'running');
  }
}
