// A stand-in for downloads.raspberrypi.com on 127.0.0.1: serves a catalogue
// JSON, icons and image files with HTTP Range support, and can break a
// download after N bytes to test resuming. Real HTTP, real sockets.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface CatalogueServer {
  base: string;
  /** Requests seen, with their Range header. */
  requests: { url: string; range?: string }[];
  /** Serve `file` at `/files/<name>`; `/os_list.json` serves `catalogue`. */
  setCatalogue(catalogue: unknown): void;
  addFile(file: string, name?: string): string;
  /** The next download of `name` stops after `bytes` bytes (socket destroyed). */
  breakAfter(name: string, bytes: number): void;
  close(): Promise<void>;
}

// A 1x1 PNG.
const ICON = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAE/wH+1b5TGQAAAABJRU5ErkJggg==', 'base64');

export async function startCatalogueServer(): Promise<CatalogueServer> {
  let catalogue: unknown = { os_list: [] };
  const files = new Map<string, string>();
  const breaks = new Map<string, number>();
  const requests: CatalogueServer['requests'] = [];

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ url: url.pathname, range: req.headers.range });
    if (url.pathname === '/os_list.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(catalogue));
      return;
    }
    if (url.pathname.startsWith('/icons/')) {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      res.end(ICON);
      return;
    }
    const name = decodeURIComponent(url.pathname.replace(/^\/files\//, ''));
    const file = files.get(name);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const size = statSync(file).size;
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      if (start >= size) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
        return;
      }
      res.writeHead(206, { 'Content-Length': size - start, 'Content-Range': `bytes ${start}-${size - 1}/${size}`, 'Accept-Ranges': 'bytes' });
    } else {
      res.writeHead(200, { 'Content-Length': size, 'Accept-Ranges': 'bytes' });
    }
    const limit = breaks.get(name);
    breaks.delete(name);
    const end = limit !== undefined ? Math.min(size, start + limit) - 1 : size - 1;
    const stream = createReadStream(file, { start, end });
    stream.pipe(res, { end: limit === undefined });
    if (limit !== undefined) stream.on('end', () => setTimeout(() => res.socket?.destroy(), 20));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    setCatalogue: (c) => (catalogue = c),
    addFile(file, name = path.basename(file)) {
      files.set(name, file);
      return `${base}/files/${encodeURIComponent(name)}`;
    },
    breakAfter: (name, bytes) => breaks.set(name, bytes),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
