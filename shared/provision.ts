// Provisioning as the UI and CLI see it: playbooks to choose from, a run's
// live events (the same for Bramble's runner and for ansible-playbook), and
// each node's run history.
import { z } from 'zod';

export const TaskStatusSchema = z.enum(['ok', 'changed', 'failed', 'skipped', 'unreachable']);
export type TaskStatusView = z.infer<typeof TaskStatusSchema>;

export const HostRecapSchema = z.object({
  ok: z.number(),
  changed: z.number(),
  unreachable: z.number(),
  failed: z.number(),
  skipped: z.number(),
  rescued: z.number(),
  ignored: z.number(),
});
export const RecapSchema = z.record(z.string(), HostRecapSchema);

const TaskOutputSchema = z.object({
  rc: z.number().nullable().optional(),
  stdout: z.string().optional(),
  stderr: z.string().optional(),
  diff: z.object({ before: z.string(), after: z.string() }).optional(),
  items: z.array(z.object({ item: z.unknown(), status: TaskStatusSchema, msg: z.string().optional() })).optional(),
});

export const ProvisionEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('play-start'), play: z.string(), hosts: z.array(z.string()) }),
  z.object({ type: z.literal('task-start'), play: z.string(), task: z.string(), host: z.string() }),
  z.object({
    type: z.literal('task-result'),
    play: z.string(),
    task: z.string(),
    host: z.string(),
    status: TaskStatusSchema,
    ignored: z.boolean().optional(),
    msg: z.string().optional(),
    output: TaskOutputSchema.optional(),
    durationMs: z.number(),
  }),
  z.object({ type: z.literal('recap'), recap: RecapSchema }),
]);
export type ProvisionEventView = z.infer<typeof ProvisionEventSchema>;

export const PlaybookInfoSchema = z.object({
  /** `builtin:base-node`, or the file's path. */
  id: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.enum(['builtin', 'file']),
  path: z.string(),
  /** Variables the user must give before it can run. */
  requiredVars: z.array(z.string()),
  plays: z.array(z.object({ name: z.string(), hosts: z.string(), tasks: z.array(z.string()) })),
  /** Every tag a play or task carries, sorted: what "only tagged" and "skip tagged" can name. */
  tags: z.array(z.string()).default([]),
});
export type PlaybookInfo = z.infer<typeof PlaybookInfoSchema>;

export const ProvisionEngineSchema = z.enum(['bramble', 'ansible']);

export const ProvisionRunSchema = z.object({
  runId: z.string(),
  playbook: z.string(),
  /** What the user saw it called: a built-in's title, or the file's name. */
  title: z.string().optional(),
  engine: ProvisionEngineSchema,
  check: z.boolean(),
  /** The tag filter it ran with, when there was one. */
  tags: z.array(z.string()).optional(),
  skipTags: z.array(z.string()).optional(),
  nodes: z.array(z.string()),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  recap: RecapSchema.optional(),
  /** Why the run as a whole could not go on (a bad playbook, ansible missing). */
  error: z.string().optional(),
  /** Every event, for the history view. */
  events: z.array(ProvisionEventSchema),
});
export type ProvisionRun = z.infer<typeof ProvisionRunSchema>;
