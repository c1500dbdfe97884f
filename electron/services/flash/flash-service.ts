// Flash jobs as the app sees them: start one (after checking every target
// against a fresh drive list), follow its progress, cancel it. The work itself
// happens in the writer process; this service never opens a drive.
import { randomUUID } from 'node:crypto';
import type { CatalogueImage, FlashJob } from '../../../shared/contract';
import type { ImageInfo } from '../../../shared/images';
import { download, type DownloadProgress } from '../images/download-cache';
import type { Emit } from '../event-hub';
import type { DriveService } from '../drives/drive-service';
import { inspectImage } from '../images/inspect-image';
import { UserError } from '../user-error';
import { refuseTarget } from './target-policy';
import { startWriter as defaultStartWriter, type WriterHandle } from './writer-client';
import type { WriteJob } from './writer/protocol';

export interface FlashRequest {
  /** A local image file... */
  image?: string;
  /** ...or an image from the OS catalogue, downloaded (and checked) first. */
  catalogue?: CatalogueImage;
  targets: string[];
  allowSystemDrive?: boolean;
}

export type StartWriter = (job: WriteJob, options: { onProgress?: (t: FlashJob['targets']) => void }) => WriterHandle;

interface Entry {
  job: FlashJob;
  handle?: WriterHandle;
  abort: AbortController;
  done: Promise<void>;
}

export class FlashService {
  private readonly jobs = new Map<string, Entry>();

  constructor(
    private readonly emit: Emit,
    private readonly drives: Pick<DriveService, 'current'>,
    private readonly cacheDir: string,
    private readonly startWriter: StartWriter = defaultStartWriter,
  ) {}

  async start(request: FlashRequest): Promise<FlashJob> {
    if (this.running().length > 0) throw new UserError('A write is already running; wait for it to finish or cancel it first.');
    const image = request.image ? await inspectImage(request.image) : catalogueImageInfo(request.catalogue!);
    const drives = await this.drives.current();
    for (const target of request.targets) {
      const why = refuseTarget(target, drives, image.path, image.size, request.allowSystemDrive, image.sizeIsExact);
      if (why) throw new UserError(why);
    }
    const job: FlashJob = {
      jobId: randomUUID(),
      image,
      state: 'running',
      startedAt: new Date().toISOString(),
      targets: request.targets.map((target) => ({ target, phase: 'starting', bytes: 0, total: image.size ?? 0, speed: 0 })),
    };
    const entry = { job, abort: new AbortController() } as Entry;
    this.jobs.set(job.jobId, entry);
    entry.done = this.run(entry, request).then(
      () => {},
      (error: Error) => this.update(entry, { state: entry.abort.signal.aborted ? 'cancelled' : 'failed', error: error.message, targets: entry.job.targets.map((t) => (t.phase === 'done' ? t : { ...t, phase: entry.abort.signal.aborted ? 'cancelled' : 'failed', error: entry.abort.signal.aborted ? undefined : (t.error ?? error.message) })) }, 'flash:done'),
    );
    return job;
  }

  private async run(entry: Entry, request: FlashRequest): Promise<void> {
    let imagePath = request.image;
    let bmapPath: string | undefined;
    const catalogue = request.catalogue;
    if (catalogue) {
      const onProgress = (p: DownloadProgress) => this.update(entry, { download: { bytes: p.bytes, total: p.total } }, 'flash:progress');
      imagePath = await download({ url: catalogue.url, sha256: catalogue.downloadSha256, size: catalogue.downloadSize, cacheDir: this.cacheDir, signal: entry.abort.signal, onProgress });
      if (catalogue.bmapUrl) bmapPath = await download({ url: catalogue.bmapUrl, cacheDir: this.cacheDir, signal: entry.abort.signal });
      this.update(entry, { download: undefined, image: { ...(await inspectImage(imagePath)), name: catalogue.name } }, 'flash:progress');
    }
    if (entry.abort.signal.aborted) throw new UserError('The write was cancelled before it started.');
    entry.handle = this.startWriter(
      { image: imagePath!, bmap: bmapPath, expectedSha256: catalogue?.extractSha256, targets: request.targets, allowSystemDrive: request.allowSystemDrive },
      { onProgress: (targets) => this.update(entry, { targets }, 'flash:progress') },
    );
    const result = await entry.handle.result;
    this.update(
      entry,
      {
        state: result.cancelled ? 'cancelled' : result.ok ? 'done' : 'failed',
        seconds: result.seconds,
        error: result.error,
        targets: entry.job.targets.map((t) => {
          const r = result.targets.find((x) => x.target === t.target);
          return r ? { ...t, phase: r.phase, error: r.error, eta: undefined, speed: 0 } : t;
        }),
      },
      'flash:done',
    );
  }

  private update(entry: Entry, patch: Partial<FlashJob>, event: 'flash:progress' | 'flash:done'): void {
    entry.job = { ...entry.job, ...patch };
    this.emit(event, entry.job);
  }

  cancel(jobId: string): boolean {
    const entry = this.jobs.get(jobId);
    if (!entry || entry.job.state !== 'running') return false;
    entry.abort.abort();
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
    await entry.done;
    return entry.job;
  }

  private running(): FlashJob[] {
    return this.list().filter((j) => j.state === 'running');
  }
}

/** What is known of a catalogue image before it is downloaded. */
function catalogueImageInfo(c: CatalogueImage): ImageInfo {
  const file = new URL(c.url).pathname.split('/').pop() ?? c.name;
  return {
    path: c.url,
    name: c.name,
    format: /\.xz$/.test(file) ? 'xz' : /\.gz$/.test(file) ? 'gzip' : /\.zip$/.test(file) ? 'zip' : 'raw',
    fileSize: c.downloadSize ?? 0,
    size: c.extractSize,
    sizeIsExact: c.extractSize !== undefined,
  };
}
