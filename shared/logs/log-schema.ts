// A log entry on the wire (IPC and the dev bridge).
import { z } from 'zod';

export const LogEntrySchema = z.object({
  node: z.string().optional(),
  at: z.number(),
  realtimeUs: z.string().optional(),
  priority: z.number().nullable(),
  unit: z.string().optional(),
  identifier: z.string().optional(),
  pid: z.number().optional(),
  message: z.string(),
  kernel: z.boolean(),
  cursor: z.string().optional(),
  bootId: z.string().optional(),
  power: z.enum(['under-voltage', 'voltage-normalised', 'throttling']).nullable(),
});
