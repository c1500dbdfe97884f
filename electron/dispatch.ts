// Turns one raw request into an Envelope: checks the channel is in the contract,
// parses the payload with its zod schema, runs the handler, and converts any
// failure into a plain-sentence error. Both transports go through here, so a
// request that reaches a service has always been parsed.
import { z } from 'zod';
import {
  invokeChannels,
  isInvokeChannel,
  type Envelope,
  type InvokeChannel,
  type ParsedRequestOf,
  type ResponseOf,
} from '../shared/contract';
import { UserError } from './services/user-error';

export type Handlers = {
  [C in InvokeChannel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export interface DispatchOptions {
  /** Where unexpected (non-user) errors are reported; their details never reach the renderer. */
  logError?: (channel: string, error: unknown) => void;
}

export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawRequest: unknown,
  options: DispatchOptions = {},
): Promise<Envelope> {
  if (!isInvokeChannel(channel)) {
    return { ok: false, error: { code: 'unknown-channel', message: `Bramble has no request called ${JSON.stringify(String(channel)).slice(0, 80)}.` } };
  }
  const parsed = invokeChannels[channel].request.safeParse(rawRequest);
  if (!parsed.success) {
    return { ok: false, error: { code: 'bad-request', message: `The ${channel} request was malformed: ${summarise(parsed.error)}` } };
  }
  try {
    const handler = handlers[channel] as (req: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: { code: 'failed', message: error.message } };
    options.logError?.(channel, error);
    return { ok: false, error: { code: 'failed', message: `Bramble hit an internal error while handling ${channel}; details are in the log.` } };
  }
}

function summarise(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}
