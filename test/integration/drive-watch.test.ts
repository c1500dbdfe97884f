// Cards appearing and disappearing: a loop device attached and detached while
// the real drive watcher polls (drivelist + sysfs), seen within about a second.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, ftruncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/services';

let dir: string;
let services: Services;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-watch-'));
  services = createServices({ dataDir: path.join(dir, 'home'), transport: 'electron', watchDrives: true });
});
afterAll(async () => {
  await services.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function nextChange(): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const off = services.hub.subscribe((event) => {
      if (event === 'drives:changed') {
        off();
        resolve(Date.now() - t0);
      }
    });
  });
}

describe('drive watcher', () => {
  it('reports a card inserted and removed within about a second, with its size and no false system flag', async () => {
    await services.drives.view({ showVirtual: true }); // settle the first listing
    const file = path.join(dir, 'card.img');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 96 << 20);
    closeSync(fd);

    const inserted = nextChange();
    const device = execFileSync('losetup', ['-f', '--show', file], { encoding: 'utf8' }).trim();
    try {
      expect(await inserted).toBeLessThan(1600);
      const drives = await services.drives.view({ showVirtual: true });
      const card = drives.find((d) => d.device === device);
      expect(card).toMatchObject({ size: 96 << 20, isLoop: true, isVirtual: true, isSystem: false, backingFile: file });
      expect((await services.drives.view()).some((d) => d.device === device)).toBe(false); // virtual drives are hidden unless asked
    } finally {
      const removed = nextChange();
      execFileSync('losetup', ['-d', device]);
      expect(await removed).toBeLessThan(1600);
    }
    expect((await services.drives.view({ showVirtual: true })).some((d) => d.device === device)).toBe(false);
  });
});
