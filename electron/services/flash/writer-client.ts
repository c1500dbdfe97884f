// Starts the writer process for one job and talks to it: sends the job, pings
// it every second (it exits without them), relays progress, and resolves with
// its result. The writer is elevated when a target is a drive and the app is
// not root/administrator (writer-launch.ts says how on each platform); image
// files need no privileges.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { UserError } from '../user-error';
import type { TargetProgress } from './flash-image';
import { declinedElevation, needsElevation, writerLaunch, type SocketEnd, type WriterCommand } from './writer-launch';
import { FromWriterSchema, HEARTBEAT_INTERVAL_MS, jobSha256, type WriteJob, type WriteResult } from './writer/protocol';

export { needsElevation, type WriterCommand };

export interface WriterHandle {
  result: Promise<WriteResult>;
  cancel(): void;
  pid: number | undefined;
}

export interface StartWriterOptions {
  onProgress?: (t: TargetProgress[]) => void;
  command?: WriterCommand;
  /** Talk over a socket the writer connects back to even without elevation (what macOS and Windows do elevated; tests use it on Linux). */
  viaSocket?: boolean;
}

export function defaultWriterCommand(): WriterCommand {
  // The bundles sit side by side in dist/ (dist/main, dist/cli, dist/writer);
  // from the sources (tests, tsx) the built writer is at the package's dist/.
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [path.join(here, '..', 'writer', 'writer.cjs'), path.join(here, '..', '..', '..', 'dist', 'writer', 'writer.cjs')];
  const script = candidates.find((c) => existsSync(c));
  if (!script) throw new UserError('The writer is not built; run npm run build.');
  return { runtime: process.execPath, script };
}

export function startWriter(job: WriteJob, options: StartWriterOptions = {}): WriterHandle {
  const command = options.command ?? defaultWriterCommand();
  const elevate = needsElevation(job);
  const wantSocket = options.viaSocket || (elevate && process.platform !== 'linux');
  const back = wantSocket ? listenForWriter(jobSha256(job)) : undefined;
  let launch;
  try {
    launch = writerLaunch(command, elevate, process.platform, back?.end);
  } catch (error) {
    back?.close();
    throw error;
  }
  const { program, args, channel } = launch;

  let child: ChildProcess | undefined;
  let cancelled = false;
  let stderr = '';
  let output: Writable | undefined;
  const send = (message: object) => {
    if (output?.writable) output.write(`${JSON.stringify(message)}\n`);
  };
  const ping = setInterval(() => send({ type: 'ping' }), HEARTBEAT_INTERVAL_MS);

  const result = new Promise<WriteResult>((resolve, reject) => {
    let final: WriteResult | undefined;
    const fail = (error: Error) => {
      clearInterval(ping);
      back?.close();
      reject(error);
    };
    const listen = (lines: Interface) =>
      lines.on('line', (line) => {
        let message;
        try {
          message = FromWriterSchema.parse(JSON.parse(line));
        } catch {
          return;
        }
        if (message.type === 'ready') send({ type: 'start', job });
        else if (message.type === 'progress') options.onProgress?.(message.targets);
        else final = message.result;
      });
    const start = () => {
      // Cancelled while the socket was opening: no prompt for a write nobody wants any more.
      if (cancelled) return fail(new UserError('The write was cancelled before it started.'));
      try {
        child = spawn(program, args, {
          stdio: ['pipe', 'pipe', 'pipe'],
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', UV_THREADPOOL_SIZE: '16' },
          windowsHide: true,
        });
      } catch (error) {
        fail(spawnError(error as NodeJS.ErrnoException, elevate, program));
        return;
      }
      child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
      child.stdin!.on('error', () => {});
      if (channel === 'stdio') {
        output = child.stdin!;
        listen(createInterface({ input: child.stdout! }));
      }
      child.on('error', (error) => fail(spawnError(error, elevate, program)));
      child.on('close', (code, signal) => {
        clearInterval(ping);
        back?.close();
        if (final) resolve(final);
        else reject(exitError(code, signal, stderr, elevate));
      });
    };
    if (!back) start();
    else {
      // The prompt is shown only once the writer has somewhere to connect to.
      back.listening.then(start, (error: Error) => fail(new UserError(`Bramble could not open the channel its writer reports on (${error.message}).`)));
      back.connected.then(
        ({ socket, lines }) => {
          // A cancel during the prompt: the writer that just connected gets no job.
          if (cancelled) return socket.destroy();
          // Its `ready` (with the token) was the handshake; it now waits for the job.
          output = socket;
          listen(lines);
          send({ type: 'start', job });
        },
        () => {},
      );
    }
  });
  return {
    result,
    get pid() {
      return child?.pid;
    },
    cancel: () => {
      cancelled = true;
      send({ type: 'cancel' });
      // Not connected yet: the user is still looking at the prompt; closing the launcher ends it.
      if (channel === 'socket' && !output && child) stopLauncher(child);
    },
  };
}

/**
 * A socket in a folder only this user can enter (or a named pipe with an
 * unguessable name) that accepts one writer: the first to say `ready` with the
 * token. Anything else that connects is dropped. The writer in turn runs only
 * the job whose digest it was started with, so whatever might reach it in the
 * socket's place cannot hand it another.
 */
function listenForWriter(expectedJob: string): { end: SocketEnd; listening: Promise<void>; connected: Promise<{ socket: Socket; lines: Interface }>; close(): void } {
  const token = randomBytes(16).toString('hex');
  const dir = process.platform === 'win32' ? undefined : mkdtempSync(path.join(os.tmpdir(), 'bramble-writer-'));
  const end: SocketEnd = { path: dir ? path.join(dir, 'writer.sock') : `\\\\.\\pipe\\bramble-writer-${randomBytes(16).toString('hex')}`, token, jobSha256: expectedJob };
  let accepted: Socket | undefined;
  let resolveConnected!: (c: { socket: Socket; lines: Interface }) => void;
  const connected = new Promise<{ socket: Socket; lines: Interface }>((resolve) => (resolveConnected = resolve));
  const server: Server = createServer((socket) => {
    if (accepted) return socket.destroy();
    let first = true;
    const lines = createInterface({ input: socket });
    lines.once('line', (line) => {
      first = false;
      let ok = false;
      try {
        const hello = FromWriterSchema.parse(JSON.parse(line));
        ok = hello.type === 'ready' && hello.token === token;
      } catch {
        ok = false;
      }
      if (!ok || accepted) return socket.destroy();
      accepted = socket;
      resolveConnected({ socket, lines });
    });
    socket.on('error', () => {});
    setTimeout(() => first && socket.destroy(), 5000).unref();
  });
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(end.path, () => resolve());
  });
  listening.catch(() => {});
  return {
    end,
    listening,
    connected,
    close() {
      server.close();
      accepted?.end();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function stopLauncher(child: ChildProcess): void {
  if (child.exitCode === null) child.kill();
}

function spawnError(error: NodeJS.ErrnoException, elevate: boolean, program: string): UserError {
  if (elevate && error.code === 'ENOENT' && program === 'pkexec') return new UserError('Writing SD cards needs administrator rights, and pkexec (polkit) is not installed; install it or run Bramble as root.');
  if (elevate && error.code === 'ENOENT') return new UserError(`Writing SD cards needs administrator rights, and ${program} (which asks for them) could not be started; start Bramble as an administrator.`);
  return new UserError(`Bramble could not start its writer process (${error.message}).`);
}

function exitError(code: number | null, signal: NodeJS.Signals | null, stderr: string, elevate: boolean): UserError {
  if (elevate && declinedElevation(process.platform, code, stderr)) return new UserError('Writing was cancelled: administrator rights were not granted.');
  const lines = stderr.trim().split('\n').filter((l) => l.trim() && !/^Node\.js v/.test(l) && !/^\s+at /.test(l));
  const last = lines.find((l) => /Error/.test(l)) ?? lines.slice(-1)[0];
  return new UserError(`The writer process stopped unexpectedly (${signal ?? `exit ${code}`})${last ? `: ${last}` : ''}.`);
}
