// Every run that touched this node, newest first: when, which playbook, check
// or real, which engine, and how it went for this node; each opens to its tasks.
import { ChevronRight, History } from 'lucide-react';
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ProvisionRun } from '../../../../shared/provision';
import { useProvision } from '../../../store/provision';
import { TaskList } from './TaskList';

export function HistoryList({ node }: { node: string }) {
  const runs = useProvision((s) => s.history[node]);
  const { loadHistory, historyError } = useProvision(useShallow((s) => ({ loadHistory: s.loadHistory, historyError: s.historyError })));
  useEffect(() => {
    void loadHistory(node);
  }, [node, loadHistory]);
  return (
    <section className="panel" aria-labelledby="provision-history-heading">
      <div className="panel-head">
        <h2 id="provision-history-heading" className="panel-title"><History size={17} aria-hidden /> Run history</h2>
      </div>
      {historyError && <p className="field-error" role="alert">{historyError}</p>}
      {runs === undefined ? (
        <p className="muted">Loading…</p>
      ) : runs.length === 0 ? (
        <p className="muted">No playbook has run on {node} yet.</p>
      ) : (
        <ul className="history-list" aria-label="Run history">
          {runs.map((run) => (
            <HistoryRow key={run.runId} run={run} node={node} />
          ))}
        </ul>
      )}
    </section>
  );
}

function HistoryRow({ run, node }: { run: ProvisionRun; node: string }) {
  const title = useProvision((s) => s.playbooks.find((p) => p.id === run.playbook)?.title) ?? run.playbook.split(/[\\/]/).pop();
  const mine = run.recap?.[node];
  const bad = run.state === 'failed' || (mine && (mine.failed > 0 || mine.unreachable > 0));
  return (
    <li className={`history-row${bad ? ' bad' : ''}`} data-run={run.runId} data-check={run.check}>
      <details>
        <summary>
          <ChevronRight size={14} aria-hidden className="chevron" />
          <time dateTime={new Date(run.startedAt).toISOString()} className="history-date">{formatWhen(run.startedAt)}</time>
          <span className="history-title">{title}</span>
          {run.check && <span className="tag">check only</span>}
          {run.tags && <span className="tag">only {run.tags.join(', ')}</span>}
          {run.skipTags && <span className="tag">skip {run.skipTags.join(', ')}</span>}
          <span className="tag">{run.engine === 'ansible' ? 'Ansible' : 'Bramble'}</span>
          {run.nodes.length > 1 && <span className="muted small">with {run.nodes.length - 1} more</span>}
          <span className="history-recap">
            {mine ? (
              <>
                <span>ok={mine.ok}</span>
                <span className={mine.changed ? 'n-changed' : undefined}>changed={mine.changed}</span>
                <span className={mine.failed ? 'n-failed' : undefined}>failed={mine.failed}</span>
                {mine.unreachable > 0 && <span className="n-unreachable">unreachable={mine.unreachable}</span>}
              </>
            ) : (
              <span className={run.state === 'failed' ? 'n-failed' : undefined}>{run.state}</span>
            )}
          </span>
        </summary>
        <div className="history-body">
          {run.error && <p className="field-error">{run.error}</p>}
          <TaskList events={run.events} check={run.check} multiNode={false} onlyHost={node} />
        </div>
      </details>
    </li>
  );
}

function formatWhen(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
