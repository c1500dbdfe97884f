// The body of the preload script, free of the `electron` import so it can be
// tested with a fake ipcRenderer. It exposes only the contract's channels and
// never hands the renderer the raw ipcRenderer or an IPC event object.
import { buildApi, type BrambleApi } from '../shared/api';
import { isEventChannel, isInvokeChannel, type Envelope } from '../shared/contract';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createPreloadApi(ipcRenderer: IpcRendererLike): BrambleApi {
  return buildApi({
    async invoke(channel, request) {
      if (!isInvokeChannel(channel)) throw new Error('unknown channel');
      return (await ipcRenderer.invoke(channel, request)) as Envelope;
    },
    subscribe(event, listener) {
      if (!isEventChannel(event)) throw new Error('unknown event');
      const wrapped = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(event, wrapped);
      return () => {
        ipcRenderer.removeListener(event, wrapped);
      };
    },
  });
}
