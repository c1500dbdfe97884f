// One node's result for one task, opened: message, exit code, stdout and stderr,
// a loop's items, and a diff as before / after.
import { formatMs, statusWord, type TaskResult } from './run-model';

export function TaskOutput({ host, result, showHost, check }: { host: string; result: TaskResult; showHost: boolean; check: boolean }) {
  const o = result.output;
  return (
    <div className={`task-output status-${result.status}`} data-host={host}>
      <p className="task-output-head">
        {showHost && <strong>{host}</strong>}
        <span>{statusWord(result.status, check, result.ignored)}</span>
        {o?.rc !== undefined && o.rc !== null && <span className="mono">rc={o.rc}</span>}
        <span className="muted">{formatMs(result.durationMs)}</span>
      </p>
      {result.msg && <p className="task-msg">{result.msg}</p>}
      {o?.items && o.items.length > 0 && (
        <ul className="task-items">
          {o.items.map((it, i) => (
            <li key={i}>
              <span className={`chip chip-${it.status}`}>{statusWord(it.status, check)}</span>
              <span className="mono">{typeof it.item === 'string' ? it.item : JSON.stringify(it.item)}</span>
              {it.msg && <span className="muted">{it.msg}</span>}
            </li>
          ))}
        </ul>
      )}
      {o?.stdout && <OutputBlock label="stdout" text={o.stdout} />}
      {o?.stderr && <OutputBlock label="stderr" text={o.stderr} error />}
      {o?.diff && (
        <div className="task-diff">
          <OutputBlock label="before" text={o.diff.before || '(empty)'} />
          <OutputBlock label="after" text={o.diff.after || '(empty)'} />
        </div>
      )}
    </div>
  );
}

function OutputBlock({ label, text, error }: { label: string; text: string; error?: boolean }) {
  return (
    <figure className="output-block">
      <figcaption>{label}</figcaption>
      <pre className={`run-output${error ? ' stderr-block' : ''}`}>{text}</pre>
    </figure>
  );
}
