// Run one command on the ticked nodes: output streams in per node, each with its
// exit status and time, coloured like the tiles; cancel stops what is running.
import { CheckCircle2, ChevronRight, Clock, Play, Square, XCircle } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useFleet, type RunNodeOutput } from '../../store/fleet';
import { formatDuration } from './node-status';

const OUTCOME: Record<string, string> = {
  ok: 'ok',
  failed: 'failed',
  timeout: 'timed out',
  lost: 'connection lost',
  offline: 'offline',
  cancelled: 'cancelled',
};

export function RunPanel() {
  const { selected, run, runError, startRun, cancelRun, clearRun } = useFleet();
  const [command, setCommand] = useState('');
  const [timeout, setTimeoutSeconds] = useState('60');
  const [concurrency, setConcurrency] = useState('32');
  const running = run !== undefined && !run.done;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!command.trim() || selected.length === 0) return;
    void startRun(selected, command, clampInt(timeout, 1, 86_400, 60), clampInt(concurrency, 1, 256, 32));
  };

  const finished = run ? Object.values(run.perNode).filter((o) => o.result).length : 0;
  const ok = run ? Object.values(run.perNode).filter((o) => o.result?.status === 'ok').length : 0;

  return (
    <section className="panel" aria-labelledby="run-heading">
      <div className="panel-head">
        <h2 id="run-heading" className="panel-title">Run a command</h2>
        {run && !running && (
          <button type="button" className="button small" onClick={clearRun}>Clear results</button>
        )}
      </div>
      <form className="run-form" onSubmit={submit}>
        <input className="text-input" aria-label="Command" placeholder="uptime; vcgencmd measure_temp" value={command} onChange={(e) => setCommand(e.target.value)} spellCheck={false} />
        <label className="inline-field">
          Timeout (s)
          <input className="text-input compact" value={timeout} onChange={(e) => setTimeoutSeconds(e.target.value)} inputMode="numeric" />
        </label>
        <label className="inline-field">
          At once
          <input className="text-input compact" value={concurrency} onChange={(e) => setConcurrency(e.target.value)} inputMode="numeric" />
        </label>
        {running ? (
          <button type="button" className="button danger" onClick={() => void cancelRun()}><Square size={14} aria-hidden /> Cancel</button>
        ) : (
          <button type="submit" className="button primary" disabled={!command.trim() || selected.length === 0}>
            <Play size={14} aria-hidden /> Run on {selected.length} {selected.length === 1 ? 'node' : 'nodes'}
          </button>
        )}
      </form>
      {runError && <p className="field-error" role="alert">{runError}</p>}
      {run && (
        <>
          <p className={`muted run-summary${run.done ? ' done' : ''}`} role="status">
            <span className="mono">{run.command}</span> · {run.done ? `done: ${ok} of ${run.nodes.length} ok` : `${finished} of ${run.nodes.length} finished`}
          </p>
          <ul className="run-results" aria-label="Command results">
            {run.nodes.map((node) => (
              <RunNodeRow key={node} node={node} out={run.perNode[node]} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function RunNodeRow({ node, out }: { node: string; out: RunNodeOutput | undefined }) {
  const result = out?.result;
  const state = result ? (result.status === 'ok' ? 'ok' : result.status === 'cancelled' ? 'cancelled' : 'bad') : 'running';
  // When no output streamed (a quick command), the result carries it.
  const chunks = out && out.chunks.length > 0 ? out.chunks : result ? [{ stream: 'stdout' as const, text: result.stdout }, { stream: 'stderr' as const, text: result.stderr }].filter((c) => c.text) : [];
  return (
    <li className={`run-node run-${state}`} data-node={node} data-result={result?.status ?? 'running'}>
      <details open={state === 'bad' ? true : undefined}>
        <summary>
          <ChevronRight size={14} aria-hidden className="chevron" />
          {state === 'ok' ? <CheckCircle2 size={15} aria-hidden /> : state === 'running' ? <Clock size={15} aria-hidden /> : <XCircle size={15} aria-hidden />}
          <span className="run-node-name">{node}</span>
          <span className="run-outcome">
            {result ? `${OUTCOME[result.status] ?? result.status}${result.code !== null ? ` · exit ${result.code}` : ''} · ${formatDuration(result.durationMs)}` : 'running…'}
          </span>
        </summary>
        <pre className="run-output">
          {chunks.map((c, i) => (
            <span key={i} className={c.stream === 'stderr' ? 'stderr' : undefined}>{c.text}</span>
          ))}
          {out?.truncated && <span className="muted">{'\n'}[output cut here: more than 256 KiB]</span>}
          {result?.error && <span className="stderr">{`${chunks.length ? '\n' : ''}${result.error}`}</span>}
          {chunks.length === 0 && !result?.error && <span className="muted">{result ? '(no output)' : ''}</span>}
        </pre>
      </details>
    </li>
  );
}

function clampInt(text: string, min: number, max: number, fallback: number): number {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
