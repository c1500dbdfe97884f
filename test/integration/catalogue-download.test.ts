// The OS catalogue and downloads against a real HTTP server on 127.0.0.1
// standing in for Raspberry Pi's: nesting, icons, resume, checksums, and a
// catalogue image written to a file target with its extract SHA-256 enforced.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueImage } from '../../shared/contract';
import { createServices, type Services } from '../../electron/services';
import { flattenCatalogue } from '../../electron/services/images/catalogue';
import { download } from '../../electron/services/images/download-cache';
import { startCatalogueServer, type CatalogueServer } from '../support/catalogue-server';

let dir: string;
let server: CatalogueServer;
let img: string;
let xz: string;
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-cat-'));
  // A 24 MiB image with data at a few places, like a small OS image.
  img = path.join(dir, 'tiny-os.img');
  const fd = openSync(img, 'w');
  for (const mib of [0, 5, 17]) writeSync(fd, randomBytes(1 << 20), 0, 1 << 20, mib << 20);
  writeSync(fd, Buffer.alloc(1), 0, 1, (24 << 20) - 1);
  closeSync(fd);
  execFileSync('xz', ['-k', '-1', '-T2', img]);
  xz = `${img}.xz`;
  server = await startCatalogueServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function osEntry(over: Record<string, unknown> = {}) {
  return {
    name: 'Tiny OS (64-bit)',
    description: 'A port of Debian with no desktop',
    icon: `${server.base}/icons/tiny.png`,
    url: server.addFile(xz),
    extract_size: 24 << 20,
    extract_sha256: sha(img),
    image_download_size: readFileSync(xz).length,
    image_download_sha256: sha(xz),
    release_date: '2026-11-19',
    init_format: 'cloudinit-rpi',
    devices: ['pi5-64bit', 'pi4-64bit'],
    ...over,
  };
}

describe('OS catalogue', () => {
  it('loads nested groups and sub-lists, skips actions without a URL, and inlines icons', async () => {
    server.setCatalogue({
      os_list: [
        osEntry(),
        { name: 'Other', description: 'More systems', subitems_url: `${server.base}/os_list.json?sub=1`, icon: `${server.base}/icons/other.png` },
        { name: 'Erase', description: 'Format card as FAT32' },
      ],
    });
    // The sub-list URL serves the same JSON, so nesting would recurse: the loader stops at four levels.
    const services = createServices({ dataDir: path.join(dir, 'home1'), transport: 'electron' });
    await services.settings.update({ catalogueUrl: `${server.base}/os_list.json` });
    await expect(services.catalogue.list()).rejects.toThrow(/nests sub-lists more than four levels deep/);

    server.setCatalogue({ os_list: [{ name: 'Other', description: 'More systems', subitems: [osEntry({ name: 'Nested OS' })] }, osEntry(), { name: 'Erase', description: 'Format card as FAT32' }] });
    const { items } = await services.catalogue.list(true);
    const flat = flattenCatalogue(items);
    expect(flat.map((i) => [i.path.join('/'), i.name])).toEqual([['Other', 'Nested OS'], ['', 'Tiny OS (64-bit)']]);
    expect(flat[1]).toMatchObject({ extractSize: 24 << 20, initFormat: 'cloudinit-rpi', devices: ['pi5-64bit', 'pi4-64bit'] });
    expect(flat[1]!.icon).toMatch(/^data:image\/png;base64,/);
  });
});

describe('download cache', () => {
  it('resumes a broken download with a Range request and keeps it only when the SHA-256 matches', async () => {
    const cacheDir = path.join(dir, 'cache-resume');
    const url = server.addFile(xz, 'resume.img.xz');
    server.breakAfter('resume.img.xz', 1 << 20);
    await expect(download({ url, sha256: sha(xz), cacheDir })).rejects.toThrow(/broke off after \d+ bytes.*resumes from there next time/);
    const part = readdirSync(cacheDir).find((f) => f.endsWith('.part'));
    expect(part).toBeDefined();

    const before = server.requests.length;
    const file = await download({ url, sha256: sha(xz), cacheDir });
    expect(server.requests.slice(before)).toEqual([{ url: '/files/resume.img.xz', range: expect.stringMatching(/^bytes=\d+-$/) }]);
    expect(sha(file)).toBe(sha(xz));

    const again = server.requests.length;
    expect(await download({ url, sha256: sha(xz), cacheDir })).toBe(file);
    expect(server.requests.length).toBe(again);
  });

  it('deletes a download whose SHA-256 is wrong and says so', async () => {
    const cacheDir = path.join(dir, 'cache-bad');
    const url = server.addFile(xz, 'bad.img.xz');
    await expect(download({ url, sha256: 'ab'.repeat(32), cacheDir })).rejects.toThrow(/does not match its published SHA-256 .* it was deleted/);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

describe('writing a catalogue image', () => {
  let services: Services;
  beforeAll(() => {
    services = createServices({ dataDir: path.join(dir, 'home2'), transport: 'electron' });
  });

  async function write(entry: CatalogueImage, target: string) {
    const job = await services.flash.start({ catalogue: entry, targets: [target] });
    return services.flash.wait(job.jobId);
  }

  it('downloads, writes and verifies, with the extract SHA-256 checked', async () => {
    const [entry] = flattenCatalogue((await loadOne(osEntry())).items);
    const target = path.join(dir, 'card-good.img');
    const job = await write(entry!, target);
    expect(job.state).toBe('done');
    expect(job.targets[0]).toMatchObject({ phase: 'done' });
    expect(sha(target)).toBe(sha(img));
  });

  it('leaves the card without a partition table when the image does not match extract_sha256', async () => {
    const [entry] = flattenCatalogue((await loadOne(osEntry({ extract_sha256: 'cd'.repeat(32), url: server.addFile(xz, 'other.img.xz') }))).items);
    const target = path.join(dir, 'card-bad.img');
    const job = await write(entry!, target);
    expect(job.state).toBe('failed');
    expect(job.targets[0]!.error).toMatch(/does not match the expected SHA-256 .* left without a partition table/);
    const head = Buffer.alloc(512);
    const fd = openSync(target, 'r');
    (await import('node:fs')).readSync(fd, head, 0, 512, 0);
    closeSync(fd);
    expect(head.equals(Buffer.alloc(512))).toBe(true);
  });

  async function loadOne(entry: Record<string, unknown>) {
    server.setCatalogue({ os_list: [entry] });
    await services.settings.update({ catalogueUrl: `${server.base}/os_list.json` });
    return services.catalogue.list(true);
  }
});

