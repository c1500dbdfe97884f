// The writer process speaks JSON lines on stdio, or on a socket it connects
// back to when elevation detached it from the app (macOS, Windows). The app sends one `start`,
// then `ping` every second and maybe `cancel`; the writer answers with
// `progress` lines and one `result`. Both sides parse with these schemas.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TargetProgressSchema } from '../../../../shared/contract';

/** One card's first-boot configuration, as the writer receives it (secrets already hashed). */
export const CardBootSchema = z.object({
  target: z.string(),
  config: z.record(z.string(), z.unknown()),
});

export const WriteJobSchema = z.object({
  image: z.string(),
  targets: z.array(z.string()).min(1),
  bmap: z.string().optional(),
  expectedSha256: z.string().regex(/^[0-9a-f]{64}$/i).optional(),
  allowSystemDrives: z.array(z.string()).optional(),
  /** First-boot files per card, written after the card verified; format 'auto' is decided from the card's boot partition. */
  boot: z.object({ format: z.enum(['auto', 'legacy', 'firstrun', 'cloud-init']), hint: z.string().optional(), cards: z.array(CardBootSchema) }).optional(),
});
export type WriteJob = z.infer<typeof WriteJobSchema>;

/** A job's digest, the same on both sides: over the schema's normal form, so key order does not matter. */
export function jobSha256(job: WriteJob): string {
  return createHash('sha256').update(JSON.stringify(WriteJobSchema.parse(job))).digest('hex');
}

export const ToWriterSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), job: WriteJobSchema }),
  z.object({ type: z.literal('ping') }),
  z.object({ type: z.literal('cancel') }),
]);
export type ToWriter = z.infer<typeof ToWriterSchema>;


export const TargetResultSchema = z.object({
  target: z.string(),
  ok: z.boolean(),
  phase: TargetProgressSchema.shape.phase,
  bytesWritten: z.number(),
  error: z.string().optional(),
  boot: z.object({ format: z.string(), codename: z.string().optional(), files: z.array(z.string()), cmdline: z.string(), warnings: z.array(z.string()) }).optional(),
});

export const WriteResultSchema = z.object({
  ok: z.boolean(),
  cancelled: z.boolean(),
  imageBytes: z.number(),
  writtenBytes: z.number(),
  targets: z.array(TargetResultSchema),
  seconds: z.number(),
  error: z.string().optional(),
});
export type WriteResult = z.infer<typeof WriteResultSchema>;

export const FromWriterSchema = z.discriminatedUnion('type', [
  /** `token`: the one-time token a writer connecting back over a socket proves itself with. */
  z.object({ type: z.literal('ready'), pid: z.number(), token: z.string().optional() }),
  z.object({ type: z.literal('progress'), targets: z.array(TargetProgressSchema) }),
  z.object({ type: z.literal('result'), result: WriteResultSchema }),
]);
export type FromWriter = z.infer<typeof FromWriterSchema>;

/** Without a ping for this long, the writer takes the app for dead and stops. */
export const HEARTBEAT_TIMEOUT_MS = 5000;
export const HEARTBEAT_INTERVAL_MS = 1000;
