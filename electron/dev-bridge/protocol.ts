// The dev bridge's wire format: JSON text frames. The page sends invokes with an
// id; the server answers with the same id, and pushes contract events.
import { z } from 'zod';
import type { Envelope, EventChannel } from '../../shared/contract';

const ClientMessageSchema = z.object({
  t: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  request: z.unknown(),
});
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export type ServerMessage =
  | { t: 'result'; id: number; envelope: Envelope }
  | { t: 'event'; event: EventChannel; payload: unknown };

export function parseClientMessage(text: string): ClientMessage | undefined {
  try {
    const parsed = ClientMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
