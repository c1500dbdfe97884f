// Flash jobs as the app sees them: start one (after checking every target
// against a fresh drive list), follow its progress, cancel it. The work itself
// happens in the writer process; this service never opens a drive.
import { randomUUID } from 'node:crypto';
import type { CatalogueImage, FlashJob } from '../../../shared/contract';
import type { ImageInfo } from '../../../shared/images';
import { download, type DownloadProgress } from '../images/download-cache';
import type { Emit } from '../event-hub';
import type { DriveService } from '../drives/drive-service';
import type { Drive } from '../../../shared/drives';
import { inspectImage } from '../images/inspect-image';
import { UserError } from '../user-error';
import { realImagePath, refuseTarget } from './target-policy';
import { startWriter as defaultStartWriter, type WriterHandle } from './writer-client';
import type { WriteJob, WriteResult } from './writer/protocol';
import { checkBootSettings, type BootSettings } from '../../../shared/boot-settings';
import type { CardConfig } from '../bootconfig/card-config';
import { configureCard } from '../bootconfig/configure-card';
import { fingerprint, generateHostKey } from '../bootconfig/host-keys';
import { checkHostnames, expandHostnames } from '../bootconfig/hostnames';
import type { KnownHosts } from '../fleet/known-hosts';
import type { PendingNodes } from '../fleet/pending-nodes';

export interface FlashRequest {
  /** A local image file... */
  image?: string;
  /** ...or an image from the OS catalogue, downloaded (and checked) first. */
  catalogue?: CatalogueImage;
  targets: string[];
  /** System drives the user confirmed by name; any other system drive is still refused. */
  allowSystemDrives?: string[];
  boot?: { settings: BootSettings; names?: string[] };
}

/** Where flashed cards are remembered: their host keys, and the nodes to look for. */
export interface FlashRecords {
  knownHosts: KnownHosts;
  pending: PendingNodes;
}

export type StartWriter = (
  job: WriteJob,
  options: {
    onProgress?: (t: FlashJob['targets']) => void;
    /**
     * The drive list the service just checked the targets against, when nothing
     * (a download) came between. A writer in this same process may take it as
     * its last-moment list; the writer process never does, it holds the privileges.
     */
    checkedDrives?: Drive[];
  },
) => WriterHandle;

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
    private readonly records?: FlashRecords,
  ) {}

  async start(request: FlashRequest): Promise<FlashJob> {
    if (this.running().length > 0) throw new UserError('A write is already running; wait for it to finish or cancel it first.');
    const [image, drives] = await Promise.all([request.image ? inspectImage(request.image) : catalogueImageInfo(request.catalogue!), this.drives.current()]);
    for (const target of request.targets) {
      const why = refuseTarget(target, drives, realImagePath(image.path), image.size, request.allowSystemDrives, image.sizeIsExact);
      if (why) throw new UserError(why);
    }
    const boot = request.boot ? this.prepareBoot(request.boot, request.targets) : undefined;
    const job: FlashJob = {
      jobId: randomUUID(),
      image,
      cards: boot?.map((c) => ({ target: c.target, hostname: c.config.hostname, fingerprint: fingerprint(c.config.hostKey!.publicKey) })),
      state: 'running',
      startedAt: new Date().toISOString(),
      targets: request.targets.map((target) => ({ target, phase: 'starting', bytes: 0, total: image.size ?? 0, speed: 0 })),
    };
    const entry = { job, abort: new AbortController() } as Entry;
    this.jobs.set(job.jobId, entry);
    entry.done = this.run(entry, request, boot, drives).then(
      () => {},
      (error: Error) => this.update(entry, { state: entry.abort.signal.aborted ? 'cancelled' : 'failed', error: error.message, targets: entry.job.targets.map((t) => (t.phase === 'done' ? t : { ...t, phase: entry.abort.signal.aborted ? 'cancelled' : 'failed', error: entry.abort.signal.aborted ? undefined : (t.error ?? error.message) })) }, 'flash:done'),
    );
    return job;
  }

  /** First-boot settings put straight onto a raw image file, nothing written but the boot files. */
  async customizeInPlace(imagePath: string, settings: BootSettings): Promise<FlashJob> {
    const image = await inspectImage(imagePath);
    if (image.format !== 'raw') throw new UserError(`${image.name} is compressed; it cannot be changed in place.`);
    if (!/\.img$/i.test(image.path)) throw new UserError(`${image.name} is not a .img file; Bramble changes only .img files in place.`);
    const [card] = this.prepareBoot({ settings }, [image.path]);
    const started = new Date();
    const job: FlashJob = {
      jobId: randomUUID(),
      image,
      state: 'running',
      startedAt: started.toISOString(),
      targets: [{ target: image.path, phase: 'writing', bytes: 0, total: 0, speed: 0 }],
    };
    try {
      const configured = await configureCard(image.path, settings.format, card!.config);
      const result: WriteResult = { ok: true, cancelled: false, imageBytes: 0, writtenBytes: 0, seconds: 0, targets: [{ target: image.path, ok: true, phase: 'done', bytesWritten: 0, boot: configured }] };
      await this.remember([card!], result, image.name);
      return {
        ...job,
        state: 'done',
        seconds: (Date.now() - started.getTime()) / 1000,
        targets: [{ ...job.targets[0]!, phase: 'done' }],
        cards: [{ target: image.path, hostname: card!.config.hostname, fingerprint: fingerprint(card!.config.hostKey!.publicKey), format: configured.format, warnings: configured.warnings.length ? configured.warnings : undefined }],
      };
    } catch (error) {
      const message = error instanceof UserError ? error.message : (error as Error).message;
      return { ...job, state: 'failed', error: message, targets: [{ ...job.targets[0]!, phase: 'failed', error: message }] };
    }
  }

  /** Names, host keys and settings per card, checked before anything is written. */
  private prepareBoot(boot: NonNullable<FlashRequest['boot']>, targets: string[]): { target: string; config: CardConfig }[] {
    const { settings } = boot;
    const problems = checkBootSettings(settings);
    if (problems.length) throw new UserError(problems.join(' '));
    const names = boot.names ?? expandHostnames(settings.hostnamePattern, targets.length);
    if (names.length !== targets.length) throw new UserError(`There are ${targets.length} cards but ${names.length} hostnames.`);
    checkHostnames(names, this.records?.pending.names() ?? []);
    const { hostnamePattern: _pattern, format: _format, ...common } = settings;
    return targets.map((target, i) => ({ target, config: { ...common, hostname: names[i]!, hostKey: generateHostKey(`root@${names[i]}`) } }));
  }

  private async run(entry: Entry, request: FlashRequest, boot: { target: string; config: CardConfig }[] | undefined, checkedDrives: Drive[]): Promise<void> {
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
      {
        image: imagePath!,
        bmap: bmapPath,
        expectedSha256: catalogue?.extractSha256,
        targets: request.targets,
        allowSystemDrives: request.allowSystemDrives,
        boot: boot && request.boot ? { format: request.boot.settings.format, hint: catalogue?.initFormat, cards: boot.map((c) => ({ target: c.target, config: c.config as unknown as Record<string, unknown> })) } : undefined,
      },
      { onProgress: (targets) => this.update(entry, { targets }, 'flash:progress'), checkedDrives: catalogue ? undefined : checkedDrives },
    );
    const result = await entry.handle.result;
    if (boot) await this.remember(boot, result, entry.job.image.name);
    this.update(
      entry,
      {
        state: result.cancelled ? 'cancelled' : result.ok ? 'done' : 'failed',
        seconds: result.seconds,
        written: result.imageBytes > 0 ? { bytes: result.writtenBytes, imageBytes: result.imageBytes } : undefined,
        error: result.error,
        cards: entry.job.cards?.map((c) => {
          const boot = result.targets.find((t) => t.target === c.target)?.boot;
          return { ...c, format: boot?.format, warnings: boot?.warnings.length ? boot.warnings : undefined };
        }),
        targets: entry.job.targets.map((t) => {
          const r = result.targets.find((x) => x.target === t.target);
          return r ? { ...t, phase: r.phase, error: r.error, eta: undefined, speed: 0 } : t;
        }),
      },
      'flash:done',
    );
  }

  /** Each configured card's key goes into known_hosts and its node into the pending list. */
  private async remember(boot: { target: string; config: CardConfig }[], result: WriteResult, image: string): Promise<void> {
    if (!this.records) return;
    const done = boot.filter((c) => result.targets.find((t) => t.target === c.target)?.boot);
    for (const c of done) await this.records.knownHosts.set([c.config.hostname, `${c.config.hostname}.local`], c.config.hostKey!.publicKey);
    await this.records.pending.add(
      done.map((c) => ({ name: c.config.hostname, user: c.config.user.name, hostKeyFingerprint: fingerprint(c.config.hostKey!.publicKey), image, writtenAt: new Date().toISOString(), card: c.target })),
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
