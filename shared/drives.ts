// Drives as the app sees them, and the safety verdicts that decide whether a
// drive may be written. Pure code: the drives service computes verdicts, the
// writer recomputes them just before opening a device, the UI shows them.
import { z } from 'zod';

export const DriveSchema = z.object({
  /** The path to open: /dev/sdb, /dev/disk4, \\.\PhysicalDrive2, /dev/loop3. */
  device: z.string(),
  description: z.string(),
  /** Bytes; null when the OS does not know (an empty card reader, zram). */
  size: z.number().int().nonnegative().nullable(),
  isSystem: z.boolean(),
  isRemovable: z.boolean(),
  isReadOnly: z.boolean(),
  isVirtual: z.boolean(),
  /** A loop device; `backingFile` is the image file behind it. */
  isLoop: z.boolean(),
  backingFile: z.string().optional(),
  busType: z.string(),
  mountpoints: z.array(z.string()),
});
export type Drive = z.infer<typeof DriveSchema>;

export const VerdictSchema = z.object({
  code: z.enum(['system', 'source', 'too-small', 'read-only', 'no-media', 'large']),
  /**
   * error: never written. danger: written only after the user turned on
   * "show system drives" and confirmed. warning: confirm before writing.
   */
  level: z.enum(['error', 'danger', 'warning']),
  message: z.string(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const LARGE_DRIVE_BYTES = 128e9;

export interface VerdictContext {
  /** Bytes the image needs on the card; undefined when no image is chosen yet. */
  imageSize?: number;
  /** False when imageSize is only a hint (gzip keeps it modulo 4 GiB): then "too small" is a warning. */
  imageSizeExact?: boolean;
  /** Absolute path of the source image file, to refuse the drive that holds it. */
  imagePath?: string;
  /** The mount point holding imagePath (see mountpointOf). */
  imageMountpoint?: string;
}

export function driveVerdicts(drive: Drive, ctx: VerdictContext = {}): Verdict[] {
  const verdicts: Verdict[] = [];
  const name = drive.description && drive.description !== drive.device ? `${drive.description} (${drive.device})` : drive.device;
  if (drive.size === null || drive.size === 0) {
    verdicts.push({ code: 'no-media', level: 'error', message: `${name} reports no size: is there a card in the reader?` });
  }
  if (drive.isReadOnly) {
    verdicts.push({ code: 'read-only', level: 'error', message: `${name} is read-only; if it is an SD card, slide its lock switch away from "Lock".` });
  }
  if (holdsSource(drive, ctx)) {
    verdicts.push({ code: 'source', level: 'error', message: `${name} holds the image you are writing; choose another drive.` });
  }
  if (ctx.imageSize !== undefined && drive.size !== null && drive.size > 0 && drive.size < ctx.imageSize) {
    const exact = ctx.imageSizeExact ?? true;
    verdicts.push({
      code: 'too-small',
      level: exact ? 'error' : 'warning',
      message: exact
        ? `${name} is too small: the image needs ${formatBytes(ctx.imageSize)} and the drive has ${formatBytes(drive.size)}.`
        : `${name} may be too small: the image says it needs about ${formatBytes(ctx.imageSize)} and the drive has ${formatBytes(drive.size)}.`,
    });
  }
  if (drive.isSystem) {
    verdicts.push({ code: 'system', level: 'danger', message: `${name} is a system drive of this computer; writing it would destroy its data.` });
  }
  if (drive.size !== null && drive.size > LARGE_DRIVE_BYTES) {
    verdicts.push({ code: 'large', level: 'warning', message: `${name} is larger than ${formatBytes(LARGE_DRIVE_BYTES)}; make sure it is not a backup disk.` });
  }
  return verdicts;
}

function holdsSource(drive: Drive, ctx: VerdictContext): boolean {
  if (!ctx.imagePath) return false;
  if (drive.isLoop && drive.backingFile === ctx.imagePath) return true;
  return ctx.imageMountpoint !== undefined && drive.mountpoints.includes(ctx.imageMountpoint);
}

/** The mount point the image file lives under: the longest mount path that prefixes it. */
export function mountpointOf(drives: Drive[], imagePath: string): string | undefined {
  let best: string | undefined;
  for (const m of drives.flatMap((d) => d.mountpoints)) {
    const prefix = m.endsWith('/') || m.endsWith('\\') ? m : `${m}/`;
    if ((imagePath === m || imagePath.startsWith(prefix) || m === '/') && (!best || m.length > best.length)) best = m;
  }
  return best;
}

export interface WriteOverrides {
  /** The user turned on "show system drives" and confirmed this drive by name. */
  allowSystemDrive?: boolean;
}

/** The one sentence that refuses a write, or undefined when the drive may be written. */
export function refusal(verdicts: Verdict[], overrides: WriteOverrides = {}): string | undefined {
  const error = verdicts.find((v) => v.level === 'error');
  if (error) return error.message;
  const danger = verdicts.find((v) => v.level === 'danger');
  if (danger && !overrides.allowSystemDrive) return `${danger.message} Bramble refuses unless you turn on "show system drives" and confirm.`;
  return undefined;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
