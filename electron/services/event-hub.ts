// Fan-out for events the services push (contract eventChannels). Services get
// `emit`; each transport (the Electron window, dev-bridge sockets) subscribes.
import type { EventChannel, EventPayloadOf } from '../../shared/contract';

export type Emit = <E extends EventChannel>(event: E, payload: EventPayloadOf<E>) => void;
export type EventListener = (event: EventChannel, payload: unknown) => void;

export interface EventHub {
  emit: Emit;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const listener of listeners) {
        try {
          listener(event, payload);
        } catch {
          // A transport that failed to deliver (a closed socket) must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
