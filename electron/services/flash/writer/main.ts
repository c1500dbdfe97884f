// The writer process: the only process that loads the flashing code and opens
// drives (elevated when it must be). It reads JSON lines on stdin and writes
// them on stdout, or, started with `--connect PATH --token T` (elevated through
// a prompt that detaches stdio), over that socket. It exits when the app stops
// pinging or closes the connection, so a crashed app never leaves a writer running.
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { HEARTBEAT_TIMEOUT_MS, jobSha256, ToWriterSchema, type FromWriter } from './protocol';
import { runJob } from './run-job';

const abort = new AbortController();
let started = false;
let lastPing = Date.now();

const { values: args } = parseArgs({ options: { connect: { type: 'string' }, token: { type: 'string' }, 'job-sha256': { type: 'string' } }, strict: false });
// Started for one job (connecting back over a socket that something else could
// have taken): any other job is refused.
const expectedJob = typeof args['job-sha256'] === 'string' ? args['job-sha256'] : undefined;
if (typeof args.connect === 'string' && expectedJob === undefined) {
  process.stderr.write('Error: --connect needs --job-sha256: a writer reached over a socket runs only the job it was started for.\n');
  process.exit(2);
}
const socket = typeof args.connect === 'string' ? connect(args.connect) : undefined;
socket?.on('error', () => stop('the connection to the app failed'));
const input: Readable = socket ?? process.stdin;
const output: Writable = socket ?? process.stdout;

function send(message: FromWriter): void {
  output.write(`${JSON.stringify(message)}\n`);
}

function stop(reason: string): void {
  if (!abort.signal.aborted) abort.abort(new Error(reason));
  // Leave time for the job to close its targets and report.
  setTimeout(() => process.exit(started ? 1 : 0), 3000).unref();
}

const heartbeat = setInterval(() => {
  if (Date.now() - lastPing > HEARTBEAT_TIMEOUT_MS) stop('the app stopped answering');
}, 500);

const lines = createInterface({ input });
lines.on('close', () => stop('the app closed the connection'));
lines.on('line', (line) => {
  let message;
  try {
    message = ToWriterSchema.parse(JSON.parse(line));
  } catch {
    return; // ignore noise; the app only sends schema-valid lines
  }
  if (message.type === 'ping') lastPing = Date.now();
  else if (message.type === 'cancel') abort.abort(new Error('cancelled'));
  else if (message.type === 'start' && !started) {
    started = true;
    lastPing = Date.now();
    const job = expectedJob !== undefined && jobSha256(message.job) !== expectedJob ? undefined : message.job;
    const run = job
      ? runJob(job, { signal: abort.signal, onProgress: (targets) => send({ type: 'progress', targets }) })
      : Promise.reject(new Error('The writer refused a job other than the one it was started for; nothing was written.'));
    run
      .then((result) => send({ type: 'result', result }))
      .catch((error: Error) =>
        send({ type: 'result', result: { ok: false, cancelled: false, imageBytes: 0, writtenBytes: 0, seconds: 0, targets: [], error: error.message } }),
      )
      .finally(() => {
        clearInterval(heartbeat);
        output.write('', () => (socket ? socket.end(() => process.exit(0)) : process.exit(0)));
      });
  }
});

send({ type: 'ready', pid: process.pid, ...(typeof args.token === 'string' ? { token: args.token } : {}) });
