// Builds the typed `bramble` API object from the contract over any transport, so
// the Electron preload and the WebSocket dev bridge expose exactly the same shape
// and the renderer never names a raw channel string.
import {
  eventChannelNames,
  invokeChannelNames,
  type Envelope,
  type ErrorCode,
  type EventChannel,
  type EventPayloadOf,
  type InvokeChannel,
  type RequestOf,
  type ResponseOf,
} from './contract';

export interface Transport {
  invoke(channel: InvokeChannel, request: unknown): Promise<Envelope>;
  subscribe(event: EventChannel, listener: (payload: unknown) => void): () => void;
}

type KebabToCamel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<KebabToCamel<T>>}` : S;
type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type Domain = DomainOf<InvokeChannel>;

export type BrambleApi = {
  [D in Domain]: {
    [C in InvokeChannel as C extends `${D}:${infer V}` ? KebabToCamel<V> : never]: (
      request: RequestOf<C>,
    ) => Promise<ResponseOf<C>>;
  };
} & {
  on<E extends EventChannel>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
};

/** An error the main side chose to tell the user about; `message` is one plain sentence. */
export class BrambleError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = 'BrambleError';
  }
}

export function kebabToCamel(s: string): string {
  return s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new BrambleError(envelope.error.message, envelope.error.code);
}

export function buildApi(transport: Transport): BrambleApi {
  const api: Record<string, Record<string, (req: unknown) => Promise<unknown>>> = {};
  for (const channel of invokeChannelNames) {
    const [domain, verb] = channel.split(':') as [string, string];
    api[domain] ??= {};
    api[domain][kebabToCamel(verb)] = async (request: unknown) =>
      unwrap(await transport.invoke(channel, request ?? {}));
  }
  const on = (event: EventChannel, listener: (payload: unknown) => void) => {
    if (!eventChannelNames.includes(event)) throw new BrambleError(`There is no event called ${String(event)}.`, 'unknown-channel');
    return transport.subscribe(event, listener);
  };
  return { ...api, on } as unknown as BrambleApi;
}
