// The renderer's one way to the main process. In Electron the preload has put
// `window.bramble` there; in a browser (the dev bridge) we build the same API
// over a WebSocket to the page's own origin, with the token from the URL.
import type { BrambleApi } from '../shared/api';
import { buildApi } from '../shared/api';
import { createSocketTransport } from './socket-transport';

declare global {
  interface Window {
    bramble?: BrambleApi;
  }
}

const TOKEN_KEY = 'bramble.bridge-token';

function devBridgeToken(): string {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar (and of screenshots) once read.
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function createBridge(): BrambleApi {
  if (window.bramble) return window.bramble;
  const url = `ws://${window.location.host}/bridge?token=${encodeURIComponent(devBridgeToken())}`;
  return buildApi(createSocketTransport(url));
}

export const bridge: BrambleApi = createBridge();
