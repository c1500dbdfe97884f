// Where the app and the CLI keep their data (settings, inventory, known_hosts,
// keys, history): one folder, the platform's usual place for Electron's
// userData, or BRAMBLE_HOME when set. Computed without `electron` so the CLI
// and the app agree on it.
import os from 'node:os';
import path from 'node:path';
import { mkdirSync } from 'node:fs';

export const APP_DIR_NAME = 'Bramble';

export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = env.BRAMBLE_HOME?.trim();
  if (override) return path.resolve(override);
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), APP_DIR_NAME);
  }
}

/** Creates the data folder readable by its owner only: it will hold keys and secrets. */
export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
