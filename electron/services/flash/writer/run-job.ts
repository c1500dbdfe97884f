// One write job inside the writer process: re-check every target's safety
// verdict against a fresh drive list, then write and verify. Kept apart from
// the stdio loop so it reads as the policy it is.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Drive } from '../../../../shared/drives';
import { listAllDrives } from '../../drives/list-drives';
import { parseBmap } from '../../images/bmap';
import { inspectImage } from '../../images/inspect-image';
import { UserError } from '../../user-error';
import { flashImage, type TargetProgress } from '../flash-image';
import { realImagePath, refuseTarget } from '../target-policy';
import { openTarget } from '../targets';
import { configureCard } from '../../bootconfig/configure-card';
import type { CardConfig } from '../../bootconfig/card-config';
import type { WriteJob, WriteResult } from './protocol';

export interface RunJobOptions {
  signal: AbortSignal;
  onProgress: (targets: TargetProgress[]) => void;
  listDrives?: () => Promise<Drive[]>;
}

export async function runJob(job: WriteJob, options: RunJobOptions): Promise<WriteResult> {
  let image;
  let bmap;
  try {
    image = await inspectImage(job.image);
    const bmapPath = job.bmap ?? image.bmapPath;
    if (bmapPath) bmap = parseBmap(await readFile(bmapPath, 'utf8'), path.basename(bmapPath));
  } catch (error) {
    return failAll(job, error);
  }

  const drives = await (options.listDrives ?? listAllDrives)();
  const refused = new Map<string, string>();
  for (const target of job.targets) {
    const why = refuseTarget(target, drives, realImagePath(image.path), image.size, job.allowSystemDrives, image.sizeIsExact);
    if (why) refused.set(target, why);
  }
  const allowed = job.targets.filter((t) => !refused.has(t));
  // The device each path was when checked; the open handle must be the same one.
  const checked = new Map(allowed.map((t) => [t, deviceNumber(t)]));
  const result = allowed.length
    ? await flashImage({
        image,
        bmap,
        targets: allowed,
        expectedSha256: job.expectedSha256,
        signal: options.signal,
        onProgress: options.onProgress,
        openTarget: (t) => openTarget(t, { expectRdev: checked.get(t) }),
      })
    : { ok: false, cancelled: false, imageBytes: 0, writtenBytes: 0, targets: [], seconds: 0 };
  let targets: WriteResult['targets'] = job.targets.map(
    (t) => result.targets.find((r) => r.target === t) ?? { target: t, ok: false, phase: 'failed' as const, bytesWritten: 0, error: refused.get(t) },
  );
  if (job.boot && !result.cancelled) targets = await configureCards(job, targets);
  return { ...result, ok: result.ok && refused.size === 0 && targets.every((t) => t.ok), targets };
}

/** Each verified card gets its own first-boot files; a card that cannot take them fails alone. */
async function configureCards(job: WriteJob, targets: WriteResult['targets']): Promise<WriteResult['targets']> {
  const boot = job.boot!;
  return Promise.all(
    targets.map(async (t) => {
      if (!t.ok) return t;
      const card = boot.cards.find((c) => c.target === t.target);
      if (!card) return t;
      try {
        const configured = await configureCard(t.target, boot.format, card.config as unknown as CardConfig, boot.hint);
        return { ...t, boot: configured };
      } catch (error) {
        const why = error instanceof UserError ? error.message : (error as Error).message;
        return { ...t, ok: false, phase: 'failed' as const, error: `The card was written and verified, but its first-boot files could not be written: ${why}` };
      }
    }),
  );
}

function failAll(job: WriteJob, error: unknown): WriteResult {
  const message = error instanceof UserError ? error.message : `The write could not start: ${(error as Error).message}`;
  return {
    ok: false,
    cancelled: false,
    imageBytes: 0,
    writtenBytes: 0,
    seconds: 0,
    error: message,
    targets: job.targets.map((t) => ({ target: t, ok: false, phase: 'failed', bytesWritten: 0, error: message })),
  };
}

function deviceNumber(target: string): number | undefined {
  try {
    const st = statSync(target);
    return st.isBlockDevice() ? st.rdev : undefined;
  } catch {
    return undefined;
  }
}
