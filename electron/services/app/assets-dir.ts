// Where the app's assets (built-in playbooks) are: the `assets` folder at the
// project root, found from wherever this code runs (sources under tsx, or the
// bundles in dist/main, dist/cli and dist/dev-bridge).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findAssetsDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'assets', 'playbooks'))) return path.join(dir, 'assets');
    dir = path.dirname(dir);
  }
  throw new Error(`Bramble's assets folder was not found above ${from}; the installation is incomplete.`);
}
