// One data folder shared by the app and the CLI: BRAMBLE_HOME wins, otherwise
// the place Electron itself would use for userData on each platform.
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../electron/services/app/data-dir';

describe('data folder', () => {
  it('is BRAMBLE_HOME when set, made absolute', () => {
    expect(resolveDataDir({ BRAMBLE_HOME: '/srv/bramble' }, 'linux', '/home/ann')).toBe('/srv/bramble');
    expect(resolveDataDir({ BRAMBLE_HOME: 'rel/dir' }, 'linux', '/home/ann')).toMatch(/^\/.*rel\/dir$/);
  });
  it('follows each platform’s convention otherwise', () => {
    expect(resolveDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Bramble');
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/ann')).toBe('/x/Bramble');
    expect(resolveDataDir({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/Bramble');
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toMatch(/Roaming.Bramble$/);
  });
  it('ignores an empty BRAMBLE_HOME', () => {
    expect(resolveDataDir({ BRAMBLE_HOME: '  ' }, 'linux', '/home/ann')).toBe('/home/ann/.config/Bramble');
  });
});
