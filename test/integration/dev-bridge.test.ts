// The dev bridge as a browser and an attacker would meet it: real HTTP and
// WebSocket clients against the real server and services.
import { DEFAULT_SETTINGS } from '../../electron/services/app/settings-service';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridgeFixture, type BridgeFixture } from '../support/dev-bridge';

let fx: BridgeFixture;
beforeAll(async () => {
  fx = await startBridgeFixture();
});
afterAll(() => fx.close());

function wsUrl(token: string | undefined) {
  return `ws://127.0.0.1:${fx.bridge.port}/bridge${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, channel: string, req: unknown): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString());
      if (msg.t === 'result' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg.envelope);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'invoke', id, channel, request: req }));
  });
}

function httpGet(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: fx.bridge.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('dev bridge', () => {
  it('prints a loopback URL carrying a long random token', () => {
    expect(fx.bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('answers contract requests and pushes events to the socket', async () => {
    const ws = await openSocket(wsUrl(fx.bridge.token), { origin: `http://127.0.0.1:${fx.bridge.port}` });
    const info = await call(ws, 1, 'app:info', {});
    expect(info).toMatchObject({ ok: true, value: { transport: 'dev-bridge', dataDir: fx.dataDir } });
    const event = new Promise((resolve) => ws.on('message', (d) => { const m = JSON.parse(d.toString()); if (m.t === 'event') resolve(m); }));
    expect(await call(ws, 2, 'settings:update', { theme: 'light' })).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, theme: 'light' } });
    expect(await event).toEqual({ t: 'event', event: 'settings:changed', payload: { ...DEFAULT_SETTINGS, theme: 'light' } });
    expect(await call(ws, 3, 'settings:update', { theme: 42 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call(ws, 4, 'shell:exec', { cmd: 'id' })).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    ws.close();
  });

  it('refuses a socket without the token, with a wrong token, or from another origin', async () => {
    await expect(openSocket(wsUrl(undefined))).rejects.toThrow('HTTP 403');
    await expect(openSocket(wsUrl('x'.repeat(32)))).rejects.toThrow('HTTP 403');
    await expect(openSocket(wsUrl(fx.bridge.token), { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('closes a socket that sends something other than a contract message', async () => {
    const ws = await openSocket(wsUrl(fx.bridge.token));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('{"t":"eval","code":"process.exit()"}');
    expect(await closed).toBe(1008);
  });

  it('serves the renderer only under its own host name (no DNS rebinding)', async () => {
    expect(await httpGet('/', `127.0.0.1:${fx.bridge.port}`)).toBe(200);
    expect(await httpGet('/', `attacker.example:${fx.bridge.port}`)).toBe(421);
    expect(await httpGet('/../package.json', `127.0.0.1:${fx.bridge.port}`)).toBe(404);
  });

  it('listens on loopback only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    expect(fx.bridge.server.address()).toMatchObject({ address: '127.0.0.1' });
    if (!external) return; // a machine with no other interface has nothing else to try
    const reached = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: external.address, port: fx.bridge.port, timeout: 1000 });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => { socket.destroy(); resolve(false); });
    });
    expect(reached).toBe(false);
  });
});
