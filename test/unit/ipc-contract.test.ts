// The contract round trip through the same code Electron runs (registerIpc in
// main, createPreloadApi in the preload) over a fake ipcMain/ipcRenderer pair:
// the Electron binary is the one edge that cannot run here.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrambleError } from '../../shared/api';
import { eventChannelNames, invokeChannelNames } from '../../shared/contract';
import { DEFAULT_SETTINGS } from '../../electron/services/app/settings-service';
import { createHandlers } from '../../electron/handlers';
import { forwardEvent, registerIpc } from '../../electron/ipc';
import { createPreloadApi } from '../../electron/preload-api';
import { APP_ENTRY_URL } from '../../electron/sender-check';
import { createServices, type Services } from '../../electron/services';
import { createIpcPair } from '../support/fake-ipc';

let dataDir: string;
let services: Services;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'bramble-ipc-'));
  services = createServices({ dataDir, transport: 'electron' });
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function connect(frameUrl: string | null, parent?: { url: string }) {
  const pair = createIpcPair(frameUrl === null ? null : { url: frameUrl, parent });
  registerIpc(pair.ipcMain, createHandlers(services));
  services.hub.subscribe((event, payload) => forwardEvent(pair.webContents, event, payload));
  return { ...pair, api: createPreloadApi(pair.ipcRenderer) };
}

describe('contract over IPC', () => {
  it('registers exactly one handler per contract channel', () => {
    const { handlers } = connect(APP_ENTRY_URL);
    expect([...handlers.keys()].sort()).toEqual([...invokeChannelNames].sort());
  });

  it('answers app:info with the data folder and the transport', async () => {
    const { api } = connect(APP_ENTRY_URL);
    const info = await api.app.info({});
    expect(info.name).toBe('Bramble');
    expect(info.dataDir).toBe(dataDir);
    expect(info.transport).toBe('electron');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('round-trips a settings change and pushes the change event to the page', async () => {
    const { api } = connect(APP_ENTRY_URL);
    const seen: unknown[] = [];
    const off = api.on('settings:changed', (payload) => seen.push(payload));
    expect(await api.settings.get({})).toEqual(DEFAULT_SETTINGS);
    expect(await api.settings.update({ theme: 'dark' })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(seen).toEqual([{ ...DEFAULT_SETTINGS, theme: 'dark' }]);
    off();
    await api.settings.update({ theme: 'light' });
    expect(seen).toHaveLength(1);
  });

  it('never hands the page the raw IPC event object', async () => {
    const { api } = connect(APP_ENTRY_URL);
    const args: unknown[][] = [];
    api.on('settings:changed', (...received: unknown[]) => args.push(received));
    await api.settings.update({ theme: 'dark' });
    expect(args).toEqual([[{ ...DEFAULT_SETTINGS, theme: 'dark' }]]);
  });

  it('rejects a request that does not match its schema, before any service runs', async () => {
    const { api } = connect(APP_ENTRY_URL);
    // @ts-expect-error: a hostile page can send anything
    const attempt = api.settings.update({ theme: 'neon' });
    await expect(attempt).rejects.toThrow(BrambleError);
    await expect(attempt).rejects.toThrow(/settings:update request was malformed: theme/);
    // @ts-expect-error: unknown keys are refused too (strict schemas)
    await expect(api.settings.update({ theme: 'dark', extra: 1 })).rejects.toThrow(/malformed/);
    expect(await api.settings.get({})).toEqual(DEFAULT_SETTINGS);
  });

  it('refuses requests from a foreign page, a sub-frame, or no frame at all', async () => {
    for (const [url, parent] of [
      ['https://evil.example/', undefined],
      ['file:///tmp/index.html', undefined],
      [APP_ENTRY_URL, { url: APP_ENTRY_URL }],
      [null, undefined],
    ] as const) {
      const { api } = connect(url, parent);
      const attempt = api.settings.update({ theme: 'dark' });
      await expect(attempt).rejects.toMatchObject({ code: 'forbidden' });
      services = createServices({ dataDir, transport: 'electron' });
    }
    expect(services.settings.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('exposes one method per invoke channel and subscriptions only to contract events', () => {
    const { api } = connect(APP_ENTRY_URL);
    for (const channel of invokeChannelNames) {
      const [domain, verb] = channel.split(':') as [string, string];
      const method = (api as unknown as Record<string, Record<string, unknown>>)[domain]?.[verb.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
      expect(typeof method, channel).toBe('function');
    }
    expect(eventChannelNames.length).toBeGreaterThan(0);
    // @ts-expect-error: not an event of the contract
    expect(() => api.on('ipc:anything', () => {})).toThrow(/no event called ipc:anything/);
  });

  it('keeps internal error details out of the page', async () => {
    const pair = createIpcPair({ url: APP_ENTRY_URL });
    const logged: unknown[] = [];
    const handlers = createHandlers(services);
    handlers['settings:get'] = () => {
      throw new Error('EACCES /secret/path/token=abc');
    };
    registerIpc(pair.ipcMain, handlers, { logError: (_c, e) => logged.push(e) });
    const api = createPreloadApi(pair.ipcRenderer);
    const attempt = api.settings.get({});
    await expect(attempt).rejects.toThrow(/internal error while handling settings:get/);
    await expect(attempt).rejects.not.toThrow(/secret/);
    expect(logged).toHaveLength(1);
  });
});
