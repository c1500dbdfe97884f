// A run's tasks as Ansible prints them, one row per task with a chip per node
// (ok, changed, failed, skipped, unreachable); a row opens to show each node's
// message, exit code, output and diff. Used live and in the history.
import { ChevronRight, Loader2 } from 'lucide-react';
import type { ProvisionEventView } from '../../../../shared/provision';
import { formatMs, groupEvents, statusWord, type TaskResult, type TaskRow } from './run-model';
import { TaskOutput } from './TaskOutput';

export function TaskList({ events, check, multiNode, onlyHost }: { events: ProvisionEventView[]; check: boolean; multiNode: boolean; onlyHost?: string }) {
  const plays = groupEvents(events, onlyHost);
  if (plays.length === 0) return <p className="muted">Starting…</p>;
  return (
    <div className="task-plays">
      {plays.map((play, i) => (
        <section key={i} className="task-play" aria-label={`Play ${play.play}`}>
          <h3 className="task-play-title">
            PLAY <span>[{play.play}]</span>
          </h3>
          <ul className="task-list">
            {play.tasks.map((row) => (
              <TaskRowView key={row.key} row={row} order={play.hosts} check={check} multiNode={multiNode} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function TaskRowView({ row, order, check, multiNode }: { row: TaskRow; order: string[]; check: boolean; multiNode: boolean }) {
  // Nodes finish in any order; chips keep the play's order so each node stays in one column.
  const rank = (host: string) => (order.includes(host) ? order.indexOf(host) : order.length);
  const entries = [...row.hosts.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
  const running = entries.some(([, r]) => r === undefined);
  const anyFailed = entries.some(([, r]) => r && (r.status === 'failed' || r.status === 'unreachable') && !r.ignored);
  const withDetail = entries.filter((e): e is [string, TaskResult] => e[1] !== undefined && hasDetail(e[1]));
  return (
    <li className={`task-row${running ? ' running' : ''}`} data-task={row.task} data-state={running ? 'running' : 'done'}>
      <details open={anyFailed || undefined}>
        <summary>
          <ChevronRight size={14} aria-hidden className="chevron" />
          {running ? <Loader2 size={15} className="spin" aria-label="Running" /> : <span className="task-bullet" aria-hidden />}
          <span className="task-name">{row.task}</span>
          <span className="task-chips">
            {entries.map(([host, r]) => (
              <StatusChip key={host} host={host} result={r} check={check} showHost={multiNode} />
            ))}
          </span>
        </summary>
        <div className="task-details">
          {withDetail.length === 0 ? (
            <p className="muted small">{running ? 'Running…' : 'Nothing to show: no message or output.'}</p>
          ) : (
            withDetail.map(([host, r]) => <TaskOutput key={host} host={host} result={r} showHost={multiNode} check={check} />)
          )}
        </div>
      </details>
    </li>
  );
}

export function StatusChip({ host, result, check, showHost }: { host: string; result: TaskResult | undefined; check: boolean; showHost: boolean }) {
  const status = result ? (result.ignored ? 'ignored' : result.status) : 'running';
  const word = result ? statusWord(result.status, check, result.ignored) : 'running';
  return (
    <span className={`chip chip-${status}`} data-host={host} data-status={status} title={result ? `${host}: ${word} in ${formatMs(result.durationMs)}` : `${host}: running`}>
      {showHost && <span className="chip-host">{host}</span>}
      {word}
    </span>
  );
}

function hasDetail(r: TaskResult): boolean {
  const o = r.output;
  return Boolean(r.msg || (o && (o.stdout || o.stderr || o.diff || o.items?.length || (o.rc !== undefined && o.rc !== null))));
}
