// A stand-in for Electron's ipcMain / ipcRenderer / webContents trio, because the
// Electron binary cannot run here. It behaves as Electron does for what Bramble
// uses: invoke reaches the one handler of a channel with an event carrying the
// sender frame; webContents.send reaches every ipcRenderer listener with an
// event object as first argument (which the preload must not leak).
import type { IpcMainLike, WebContentsLike } from '../../electron/ipc';
import type { IpcRendererLike } from '../../electron/preload-api';
import type { FrameLike } from '../../electron/sender-check';

type Listener = (event: unknown, ...args: unknown[]) => void;

export function createIpcPair(frame: FrameLike | null) {
  const handlers = new Map<string, (event: { senderFrame: FrameLike | null }, ...args: unknown[]) => Promise<unknown>>();
  const listeners = new Map<string, Set<Listener>>();
  const rawEvent = { sender: { secret: 'ipc internals' }, ports: [] };

  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };

  const ipcRenderer: IpcRendererLike = {
    async invoke(channel, ...args) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      // Electron structured-clones arguments and results; so do we.
      const result = await handler({ senderFrame: frame }, ...structuredClone(args));
      return structuredClone(result);
    },
    on(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };

  const webContents: WebContentsLike & { destroyed: boolean } = {
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    send(channel, payload) {
      for (const listener of listeners.get(channel) ?? []) listener(rawEvent, structuredClone(payload));
    },
  };

  return { ipcMain, ipcRenderer, webContents, handlers, listeners };
}
