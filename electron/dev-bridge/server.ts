// The WebSocket dev bridge: serves the built renderer on 127.0.0.1 and answers
// the same contract as the Electron IPC, over one socket per page, so the real
// UI can run in an ordinary browser (Playwright + Chromium in tests) against
// the real services. It binds loopback only and refuses any socket that lacks
// the random token, comes from another origin, or names another host.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, type Handlers } from '../dispatch';
import type { EventHub } from '../services/event-hub';
import { contentTypeFor, resolveRendererFile } from '../renderer-files';
import { SECURITY_HEADERS } from '../security-policy';
import { parseClientMessage, type ServerMessage } from './protocol';

export const BRIDGE_PATH = '/bridge';
const LOOPBACK = '127.0.0.1';

export interface DevBridgeOptions {
  rendererDir: string;
  handlers: Handlers;
  hub: EventHub;
  port?: number;
  token?: string;
  logError?: (channel: string, error: unknown) => void;
}

export interface DevBridge {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export async function startDevBridge(options: DevBridgeOptions): Promise<DevBridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const server = createServer((req, res) => {
    void serveStatic(req, options.rendererDir, port).then(({ status, headers, body }) => {
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  let port = 0;

  server.on('upgrade', (req, socket, head) => {
    if (!isAllowedUpgrade(req, port, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, options));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    server,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attach(ws: WebSocket, options: DevBridgeOptions): void {
  const send = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = options.hub.subscribe((event, payload) => send({ t: 'event', event, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', async (data) => {
    const message = parseClientMessage(data.toString());
    if (!message) {
      ws.close(1008, 'malformed message');
      return;
    }
    const envelope = await dispatch(options.handlers, message.channel, message.request, { logError: options.logError });
    send({ t: 'result', id: message.id, envelope });
  });
}

/** Same-host, same-origin, right token: the checks that keep other pages and other machines out. */
export function isAllowedUpgrade(req: IncomingMessage, port: number, token: string): boolean {
  const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
  if (url.pathname !== BRIDGE_PATH) return false;
  const expectedHost = `${LOOPBACK}:${port}`;
  if (req.headers.host !== expectedHost) return false;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${expectedHost}`) return false;
  return tokensEqual(url.searchParams.get('token') ?? '', token);
}

function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function serveStatic(
  req: IncomingMessage,
  rendererDir: string,
  port: number,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer | string }> {
  const text = { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS };
  // A page on another host name (DNS rebinding) must not read the renderer through us.
  if (req.headers.host !== `${LOOPBACK}:${port}`) return { status: 421, headers: text, body: 'Misdirected request' };
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, headers: text, body: 'Method not allowed' };
  const file = resolveRendererFile(rendererDir, new URL(req.url ?? '/', `http://${LOOPBACK}`).pathname);
  if (!file) return { status: 404, headers: text, body: 'Not found' };
  try {
    const body = await readFile(file);
    return { status: 200, headers: { 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-store', ...SECURITY_HEADERS }, body };
  } catch {
    return { status: 404, headers: text, body: 'Not found' };
  }
}
