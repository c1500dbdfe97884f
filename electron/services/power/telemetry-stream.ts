// Stream mode of the probe: one long-lived channel per node on which the probe
// loops, so a poll costs the app one incoming data packet instead of a channel
// opened and closed, and costs the node no new SSH session.
import { commandLine, ExecError, type RemoteExec } from '../ssh/remote-exec';
import { LineSplitter } from '../logs/line-splitter';
import { parseTelemetry, PROBE_STREAM_SCRIPT, SAMPLE_END } from './telemetry-probe';
import type { NodeTelemetry } from '../../../shared/telemetry';

export interface StreamOptions {
  intervalMs: number;
  skipPmic?: boolean;
  signal: AbortSignal;
  onSample(t: NodeTelemetry): void;
}

/** Resolves when the stream ends (the node closed it, or the signal aborted it); rejects if it could not run. */
export async function streamTelemetry(exec: RemoteExec, o: StreamOptions): Promise<void> {
  const split = new LineSplitter();
  let block: string[] = [];
  let last = Date.now();
  const seconds = Math.max(0.1, o.intervalMs / 1000).toFixed(3);
  try {
    const r = await exec.exec(commandLine(['sh', '-s', '--', o.skipPmic ? 'nopmic' : 'pmic', seconds]), {
      stdin: PROBE_STREAM_SCRIPT,
      keepStdout: false,
      signal: o.signal,
      onStdout: (chunk) => {
        for (const line of split.push(chunk)) {
          if (line !== SAMPLE_END) {
            block.push(line);
            continue;
          }
          const now = Date.now();
          // The probe's own duration is not visible here: report the gap beyond the interval instead.
          const t = parseTelemetry(block.join('\n'), now, Math.max(0, now - last - o.intervalMs));
          last = now;
          block = [];
          o.onSample(t);
        }
      },
    });
    if (r.code !== 0 && r.code !== null) throw new Error(`the health stream stopped (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  } catch (e) {
    if (e instanceof ExecError && e.kind === 'aborted') return;
    throw e;
  }
}
