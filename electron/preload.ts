// Runs in the sandboxed preload context: exposes `window.bramble` (the
// contract API) and `window.brambleFiles` (the path of a dropped file, which
// the page itself cannot see), and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('bramble', createPreloadApi(ipcRenderer));
contextBridge.exposeInMainWorld('brambleFiles', {
  pathFor: (file: File) => webUtils.getPathForFile(file),
});
