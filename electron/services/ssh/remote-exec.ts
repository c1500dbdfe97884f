// Running one command on a node over an existing ssh2 connection. Everything
// that talks to nodes (fleet run, provisioning, telemetry, logs) goes through
// `RemoteExec`, so it can be backed by the fleet's pooled connection or, in a
// test, by a plain ssh2 Client.
import type { Client, ClientChannel } from 'ssh2';
import { quote } from 'shell-quote';

export interface ExecOptions {
  /** Sent on the command's stdin, then EOF. Data sent this way never passes through a shell line. */
  stdin?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /**
   * false: do not keep stdout in memory (the result's stdout is empty), for
   * commands that stream for hours through onStdout (a log follow). stderr is
   * still kept, up to 64 KiB, for the error message.
   */
  keepStdout?: boolean;
}

export interface ExecResult {
  /** null when the command ended by a signal. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export type ExecFailure = 'timeout' | 'lost' | 'aborted' | 'offline';

/** The command did not finish: it timed out, was cancelled, or the node went away. */
export class ExecError extends Error {
  constructor(
    readonly kind: ExecFailure,
    message: string,
    readonly partial?: { stdout: string; stderr: string },
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

export interface RemoteExec {
  /** `command` is a shell line for the login shell: build it with `commandLine` from argv. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
}

/** One shell word per argument, quoted so no value is ever interpreted by the remote shell. */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('commandLine needs at least the program');
  return quote(argv as string[]);
}

/** Runs `command` on an already-connected ssh2 client. */
export function execOnClient(client: Client, command: string, opts: ExecOptions = {}): Promise<ExecResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new ExecError('aborted', 'cancelled before it started'));
    let channel: ClientChannel | undefined;
    let settled = false;
    let code: number | null = null;
    let signal: string | null = null;
    let exited = false;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const text = (b: Buffer[]) => Buffer.concat(b).toString('utf8');
    const timer = opts.timeoutMs ? setTimeout(() => stop('timeout', `no answer within ${Math.round(opts.timeoutMs! / 1000)} s`), opts.timeoutMs) : undefined;
    const onAbort = () => stop('aborted', 'cancelled');
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    function finish(fn: () => void) {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    }
    function stop(kind: ExecFailure, message: string) {
      finish(() => reject(new ExecError(kind, message, { stdout: text(out), stderr: text(err) })));
      // Ask the remote side to stop the process, then drop the channel either way.
      try {
        channel?.signal('KILL');
      } catch {
        /* channel already gone */
      }
      try {
        channel?.close();
      } catch {
        /* channel already gone */
      }
    }

    try {
      client.exec(command, (e, ch) => {
        if (e) return finish(() => reject(new ExecError('lost', `could not start the command: ${e.message}`)));
        channel = ch;
        if (settled) return void ch.close();
        let errBytes = 0;
        ch.on('data', (d: Buffer) => {
          if (opts.keepStdout !== false) out.push(d);
          opts.onStdout?.(d);
        });
        ch.stderr.on('data', (d: Buffer) => {
          if (opts.keepStdout !== false || errBytes < 65_536) err.push(d);
          errBytes += d.length;
          opts.onStderr?.(d);
        });
        ch.on('exit', (c: number | null, sig?: string) => {
          exited = true;
          code = c ?? null;
          signal = sig ?? null;
        });
        ch.on('error', () => {
          /* reported through close below */
        });
        ch.on('close', () => {
          // A killed node closes the channel without an exit status: that is a failure, not success.
          if (!exited) return stop('lost', 'the connection closed before the command finished');
          finish(() => resolve({ code, signal, stdout: text(out), stderr: text(err), durationMs: Date.now() - started }));
        });
        if (opts.stdin !== undefined) ch.end(opts.stdin);
        else ch.end();
      });
    } catch (e) {
      finish(() => reject(new ExecError('lost', `could not start the command: ${(e as Error).message}`)));
    }
  });
}

/** A RemoteExec over a plain ssh2 client (tests, one-off CLI use). */
export function clientExec(client: Client): RemoteExec {
  return { exec: (command, opts) => execOnClient(client, command, opts) };
}
