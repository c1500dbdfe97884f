// Running one command on many nodes: a concurrency limit, a timeout per node,
// output streamed per node, and a result for every node whatever happened to it.
import { ExecError, type RemoteExec } from '../ssh/remote-exec';

export type NodeRunStatus = 'ok' | 'failed' | 'timeout' | 'lost' | 'offline' | 'cancelled';

export interface NodeRunResult {
  node: string;
  status: NodeRunStatus;
  code: number | null;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** Why it failed, in a sentence, when it did not exit 0. */
  error?: string;
}

export interface RunOnNodesOptions {
  targets: { name: string; exec: RemoteExec }[];
  command: string;
  timeoutMs?: number;
  concurrency?: number;
  signal?: AbortSignal;
  onOutput?: (node: string, stream: 'stdout' | 'stderr', chunk: string) => void;
  onResult?: (result: NodeRunResult) => void;
}

export async function runOnNodes(o: RunOnNodesOptions): Promise<NodeRunResult[]> {
  const results: NodeRunResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < o.targets.length) {
      const target = o.targets[next++]!;
      const result = await runOne(target, o);
      results.push(result);
      o.onResult?.(result);
    }
  };
  const width = Math.max(1, Math.min(o.concurrency ?? 32, o.targets.length));
  await Promise.all(Array.from({ length: width }, worker));
  const order = new Map(o.targets.map((t, i) => [t.name, i]));
  return results.sort((a, b) => order.get(a.node)! - order.get(b.node)!);
}

async function runOne(target: { name: string; exec: RemoteExec }, o: RunOnNodesOptions): Promise<NodeRunResult> {
  const started = Date.now();
  if (o.signal?.aborted) return { node: target.name, status: 'cancelled', code: null, durationMs: 0, stdout: '', stderr: '', error: 'cancelled before it started' };
  try {
    const r = await target.exec.exec(o.command, {
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      onStdout: (c) => o.onOutput?.(target.name, 'stdout', c.toString('utf8')),
      onStderr: (c) => o.onOutput?.(target.name, 'stderr', c.toString('utf8')),
    });
    const ok = r.code === 0;
    return {
      node: target.name,
      status: ok ? 'ok' : 'failed',
      code: r.code,
      durationMs: r.durationMs,
      stdout: r.stdout,
      stderr: r.stderr,
      error: ok ? undefined : r.code === null ? `killed by signal ${r.signal ?? 'unknown'}` : `exited with status ${r.code}`,
    };
  } catch (e) {
    const err = e instanceof ExecError ? e : new ExecError('lost', (e as Error).message);
    const status: NodeRunStatus = err.kind === 'aborted' ? 'cancelled' : err.kind;
    return { node: target.name, status, code: null, durationMs: Date.now() - started, stdout: err.partial?.stdout ?? '', stderr: err.partial?.stderr ?? '', error: err.message };
  }
}
