// Settings on disk: saved atomically with owner-only permissions, and a damaged
// file never loses the user's last good settings.
import { DEFAULT_CATALOGUE_URL } from '../../shared/contract';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../electron/services';
import { createHandlers } from '../../electron/handlers';
import { dispatch } from '../../electron/dispatch';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'bramble-settings-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const settingsFile = () => path.join(dataDir, 'settings.json');

describe('settings', () => {
  it('start from defaults and persist across restarts, readable by the owner only', async () => {
    const first = createServices({ dataDir, transport: 'electron' });
    expect(first.settings.get()).toMatchObject({ theme: 'system', catalogueUrl: DEFAULT_CATALOGUE_URL });
    await first.settings.update({ theme: 'light' });
    expect(statSync(settingsFile()).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o077).toBe(0);
    const second = createServices({ dataDir, transport: 'electron' });
    expect(second.settings.get()).toMatchObject({ theme: 'light', catalogueUrl: DEFAULT_CATALOGUE_URL });
    expect(second.notices.list()).toEqual([]);
  });

  it('restore the last good copy when the file is damaged, keep the damaged one, and say so', async () => {
    const first = createServices({ dataDir, transport: 'electron' });
    await first.settings.update({ theme: 'dark' });
    createServices({ dataDir, transport: 'electron' }); // a clean start makes settings.json.bak
    writeFileSync(settingsFile(), '{"theme": "dark", ');

    const next = createServices({ dataDir, transport: 'electron' });
    expect(next.settings.get()).toMatchObject({ theme: 'dark', catalogueUrl: DEFAULT_CATALOGUE_URL });
    const [notice] = next.notices.list();
    expect(notice?.level).toBe('warning');
    expect(notice?.message).toMatch(/settings\.json was damaged \(it is not valid JSON\); Bramble restored the last good copy and kept the damaged file as settings\.json\.corrupt-/);
    const kept = readdirSync(dataDir).find((f) => f.startsWith('settings.json.corrupt-'));
    expect(kept && readFileSync(path.join(dataDir, kept), 'utf8')).toBe('{"theme": "dark", ');
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8'))).toMatchObject({ theme: 'dark', catalogueUrl: DEFAULT_CATALOGUE_URL });
  });

  it('fall back to defaults, keeping the damaged file, when there is no good copy', () => {
    writeFileSync(settingsFile(), JSON.stringify({ theme: 'neon' }));
    const services = createServices({ dataDir, transport: 'electron' });
    expect(services.settings.get()).toMatchObject({ theme: 'system', catalogueUrl: DEFAULT_CATALOGUE_URL });
    expect(services.notices.list()[0]?.message).toMatch(/settings\.json was damaged \(theme: .*\) and there was no good copy to restore, so Bramble started from defaults/);
    expect(readdirSync(dataDir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
  });

  it('keep the last good copy owner-only even when the settings file was world-readable', () => {
    writeFileSync(settingsFile(), JSON.stringify({ theme: 'dark' }), { mode: 0o644 });
    createServices({ dataDir, transport: 'electron' });
    expect(statSync(`${settingsFile()}.bak`).mode & 0o777).toBe(0o600);
  });

  it('refuse a catalogue over plain http from another machine, but take https and a local mirror', async () => {
    const services = createServices({ dataDir, transport: 'electron' });
    await expect(services.settings.update({ catalogueUrl: 'http://mirror.example.org/os_list.json' })).rejects.toThrow(/https/);
    expect(services.settings.get().catalogueUrl).toBe(DEFAULT_CATALOGUE_URL);
    await services.settings.update({ catalogueUrl: 'https://mirror.example.org/os_list.json' });
    await services.settings.update({ catalogueUrl: 'http://127.0.0.1:8080/os_list.json' });
    expect(services.settings.get().catalogueUrl).toBe('http://127.0.0.1:8080/os_list.json');
  });

  it('roll a damaged file back to the last saved edit, not to the state at start-up', async () => {
    const first = createServices({ dataDir, transport: 'electron' });
    await first.settings.update({ theme: 'light' });
    writeFileSync(settingsFile(), '{"theme": "li');
    const second = createServices({ dataDir, transport: 'electron' });
    expect(second.settings.get().theme).toBe('light');
    expect(second.notices.list()[0]?.message).toMatch(/restored the last good copy/);
  });

  it('change only what a request names: switching the theme keeps a chosen catalogue', async () => {
    const services = createServices({ dataDir, transport: 'electron' });
    const handlers = createHandlers(services);
    await dispatch(handlers, 'settings:update', { catalogueUrl: 'https://mirror.example.org/os_list.json', temperatureAlertC: 70 });
    const r = await dispatch(handlers, 'settings:update', { theme: 'dark' });
    expect(r).toMatchObject({ ok: true, value: { theme: 'dark', catalogueUrl: 'https://mirror.example.org/os_list.json', temperatureAlertC: 70 } });
  });
});
