// Starts the writer process for one job and talks to it: sends the job, pings
// it every second (it exits without them), relays progress, and resolves with
// its result. On Linux the writer is started through pkexec when the app is
// not root and a target is a device; image files need no privileges.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../user-error';
import type { TargetProgress } from './flash-image';
import { FromWriterSchema, HEARTBEAT_INTERVAL_MS, type WriteJob, type WriteResult } from './writer/protocol';

export interface WriterCommand {
  /** The program that runs JavaScript: node, or the Electron binary with ELECTRON_RUN_AS_NODE. */
  runtime: string;
  script: string;
}

export interface WriterHandle {
  result: Promise<WriteResult>;
  cancel(): void;
  pid: number | undefined;
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

export function needsElevation(job: WriteJob, platform = process.platform, uid = process.getuid?.() ?? 0): boolean {
  if (platform === 'win32' || uid === 0) return false;
  return job.targets.some((t) => existsSync(t) && statSync(t).isBlockDevice());
}

/**
 * The program and arguments that start the writer: through pkexec (which
 * clears the environment, hence `env`) when elevation is needed on Linux.
 */
export function writerCommandLine(command: WriterCommand, elevate: boolean, platform = process.platform): [string, string[]] {
  if (!elevate) return [command.runtime, [command.script]];
  if (platform !== 'linux') {
    throw new UserError('Writing drives needs administrator rights: start Bramble as an administrator on this system (automatic elevation is available on Linux only so far).');
  }
  return ['pkexec', ['env', 'ELECTRON_RUN_AS_NODE=1', 'UV_THREADPOOL_SIZE=16', command.runtime, command.script]];
}

export function startWriter(job: WriteJob, options: { onProgress?: (t: TargetProgress[]) => void; command?: WriterCommand } = {}): WriterHandle {
  const command = options.command ?? defaultWriterCommand();
  const elevate = needsElevation(job);
  const [program, args] = writerCommandLine(command, elevate);
  const child = spawn(program, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', UV_THREADPOOL_SIZE: '16' },
  });

  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const send = (message: object) => {
    if (child.stdin!.writable) child.stdin!.write(`${JSON.stringify(message)}\n`);
  };
  const ping = setInterval(() => send({ type: 'ping' }), HEARTBEAT_INTERVAL_MS);

  const result = new Promise<WriteResult>((resolve, reject) => {
    let final: WriteResult | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
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
    child.on('error', (error) => reject(spawnError(error, elevate)));
    child.on('close', (code, signal) => {
      clearInterval(ping);
      if (final) resolve(final);
      else reject(exitError(code, signal, stderr, elevate));
    });
  });
  child.stdin!.on('error', () => {});
  return {
    result,
    pid: child.pid,
    cancel: () => send({ type: 'cancel' }),
  };
}

function spawnError(error: NodeJS.ErrnoException, elevate: boolean): UserError {
  if (elevate && error.code === 'ENOENT') return new UserError('Writing SD cards needs administrator rights, and pkexec (polkit) is not installed; install it or run Bramble as root.');
  return new UserError(`Bramble could not start its writer process (${error.message}).`);
}

function exitError(code: number | null, signal: NodeJS.Signals | null, stderr: string, elevate: boolean): UserError {
  if (elevate && (code === 126 || code === 127)) return new UserError('Writing was cancelled: administrator rights were not granted.');
  const lines = stderr.trim().split('\n').filter((l) => l.trim() && !/^Node\.js v/.test(l) && !/^\s+at /.test(l));
  const last = lines.find((l) => /Error/.test(l)) ?? lines.slice(-1)[0];
  return new UserError(`The writer process stopped unexpectedly (${signal ?? `exit ${code}`})${last ? `: ${last}` : ''}.`);
}

