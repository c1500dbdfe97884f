// The hand-run fleet (`npm run fleet -- up`) lives in a detached supervisor
// process; the CLI's other commands talk to it over a unix socket in the CLI
// directory, one JSON line each way. Everything goes through the Fleet object
// the supervisor holds, because only it can restart nodes (they are its children).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureOwnDir, realTmpdir } from './jail.js';

/** `<tmpdir>/bramble-fleet`: state.json, ssh_config, control.sock, supervisor.log of the hand-run fleet. */
export function cliDir(): string {
  return ensureOwnDir(path.join(realTmpdir(), 'bramble-fleet'));
}

export const cliPaths = () => {
  const dir = cliDir();
  return {
    dir,
    state: path.join(dir, 'state.json'),
    sshConfig: path.join(dir, 'ssh_config'),
    socket: path.join(dir, 'control.sock'),
    log: path.join(dir, 'supervisor.log'),
  };
};

export interface NodeInfo {
  name: string;
  host: string;
  port: number;
  user: string;
  hostKeyPublic: string;
  hostKeyFingerprint: string;
  running?: boolean;
  frozen?: boolean;
  pid?: number;
  boots?: number;
}

export interface FleetState {
  pid: number;
  /** /proc start time of the supervisor, so a reused pid is not mistaken for it. */
  start: number | undefined;
  startedAt: string;
  slot: number;
  dir: string;
  user: string;
  clientKeyPath: string;
  sshConfigPath: string;
  knownHostsPath: string;
  inventoryPath: string;
  socket: string;
  nodes: NodeInfo[];
}

export interface Request {
  op: string;
  node?: string;
  args?: string[];
  opts?: Record<string, string>;
}

export type Response = { ok: true; result: unknown } | { ok: false; error: string };

export function readState(): FleetState | undefined {
  try {
    return JSON.parse(readFileSync(cliPaths().state, 'utf8')) as FleetState;
  } catch {
    return undefined;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, file);
}

export function serve(socket: string, handle: (req: Request) => Promise<unknown>): net.Server {
  const server = net.createServer((conn) => {
    let buf = '';
    conn.on('data', (d) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = '';
      void (async () => {
        let res: Response;
        try {
          res = { ok: true, result: await handle(JSON.parse(line) as Request) };
        } catch (err) {
          res = { ok: false, error: err instanceof Error ? err.message : String(err) };
        }
        conn.end(JSON.stringify(res) + '\n');
      })();
    });
    conn.on('error', () => {});
  });
  server.listen(socket);
  return server;
}

export function request(socket: string, req: Request, timeoutMs = 60_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket);
    let buf = '';
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error('fleet: the supervisor did not answer'));
    }, timeoutMs);
    conn.on('connect', () => conn.write(JSON.stringify(req) + '\n'));
    conn.on('data', (d) => (buf += d.toString()));
    conn.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`fleet: cannot reach the supervisor at ${socket}: ${err.message}`));
    });
    conn.on('end', () => {
      clearTimeout(timer);
      try {
        const res = JSON.parse(buf) as Response;
        if (res.ok) resolve(res.result);
        else reject(new Error(res.error));
      } catch {
        reject(new Error('fleet: bad answer from the supervisor'));
      }
    });
  });
}
