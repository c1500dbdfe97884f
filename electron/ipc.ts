// Registers one ipcMain handler per contract channel. Each request is checked
// for its sender frame, then parsed and handled by `dispatch`. Events from the
// services go to the window through `forwardEvents`.
import { invokeChannelNames, type EventChannel, type Envelope } from '../shared/contract';
import { dispatch, type DispatchOptions, type Handlers } from './dispatch';
import { isTrustedSender, type FrameLike } from './sender-check';

/** The part of Electron's ipcMain this module uses, so tests can pass a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: FrameLike | null }, ...args: unknown[]) => Promise<Envelope>): void;
  removeHandler(channel: string): void;
}

export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: Handlers,
  options: DispatchOptions & { isTrusted?: (frame: FrameLike | null) => boolean } = {},
): () => void {
  const isTrusted = options.isTrusted ?? isTrustedSender;
  for (const channel of invokeChannelNames) {
    ipcMain.handle(channel, async (event, request) => {
      if (!isTrusted(event.senderFrame)) {
        return { ok: false, error: { code: 'forbidden', message: 'Bramble refused a request from a page that is not its own window.' } };
      }
      return dispatch(handlers, channel, request, options);
    });
  }
  return () => {
    for (const channel of invokeChannelNames) ipcMain.removeHandler(channel);
  };
}

export interface WebContentsLike {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

export function forwardEvent(target: WebContentsLike, event: EventChannel, payload: unknown): void {
  if (!target.isDestroyed()) target.send(event, payload);
}
