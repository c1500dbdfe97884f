// The dev bridge transport: one WebSocket, invokes matched to answers by id,
// events fanned out to subscribers. A dropped socket fails the calls in flight
// with a plain message instead of leaving them hanging.
import type { Transport } from '../shared/api';
import type { Envelope, EventChannel } from '../shared/contract';

type ServerMessage =
  | { t: 'result'; id: number; envelope: Envelope }
  | { t: 'event'; event: EventChannel; payload: unknown };

const LOST: Envelope = { ok: false, error: { code: 'failed', message: 'The connection to Bramble was lost; reload the page.' } };

export function createSocketTransport(url: string): Transport {
  const pending = new Map<number, (envelope: Envelope) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let closed = false;

  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));

  socket.addEventListener('message', (event) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    if (message.t === 'result') {
      pending.get(message.id)?.(message.envelope);
      pending.delete(message.id);
    } else if (message.t === 'event') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  });
  socket.addEventListener('close', () => {
    closed = true;
    for (const resolve of pending.values()) resolve(LOST);
    pending.clear();
  });

  return {
    async invoke(channel, request) {
      if (closed) return LOST;
      await Promise.race([opened, new Promise((r) => socket.addEventListener('close', r, { once: true }))]);
      if (closed) return LOST;
      const id = nextId++;
      return new Promise<Envelope>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ t: 'invoke', id, channel, request }));
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
