// Runs in the sandboxed preload context: exposes `window.bramble` and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('bramble', createPreloadApi(ipcRenderer));
