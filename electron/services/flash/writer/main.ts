// The writer process: the only process that loads the flashing code and opens
// drives (elevated when it must be). It reads JSON lines on stdin, writes JSON
// lines on stdout, and exits when the app stops pinging or closes stdin, so a
// crashed app never leaves a writer running.
import { createInterface } from 'node:readline';
import { HEARTBEAT_TIMEOUT_MS, ToWriterSchema, type FromWriter } from './protocol';
import { runJob } from './run-job';

const abort = new AbortController();
let started = false;
let lastPing = Date.now();

function send(message: FromWriter): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function stop(reason: string): void {
  if (!abort.signal.aborted) abort.abort(new Error(reason));
  // Leave time for the job to close its targets and report.
  setTimeout(() => process.exit(started ? 1 : 0), 3000).unref();
}

const heartbeat = setInterval(() => {
  if (Date.now() - lastPing > HEARTBEAT_TIMEOUT_MS) stop('the app stopped answering');
}, 500);

const lines = createInterface({ input: process.stdin });
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
    runJob(message.job, { signal: abort.signal, onProgress: (targets) => send({ type: 'progress', targets }) })
      .then((result) => send({ type: 'result', result }))
      .catch((error: Error) =>
        send({ type: 'result', result: { ok: false, cancelled: false, imageBytes: 0, writtenBytes: 0, seconds: 0, targets: [], error: error.message } }),
      )
      .finally(() => {
        clearInterval(heartbeat);
        process.stdout.write('', () => process.exit(0));
      });
  }
});

send({ type: 'ready', pid: process.pid });
