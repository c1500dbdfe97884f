// The run started from this panel, live: tasks as they report, Cancel while it
// runs, then the recap table and one sentence saying how it went.
import { CheckCircle2, CircleSlash, Loader2, Square, XCircle } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useProvision, type LiveRun } from '../../../store/provision';
import { RecapTable } from './RecapTable';
import { summarySentence } from './run-model';
import { TaskList } from './TaskList';

const STATE_WORD: Record<LiveRun['state'], string> = {
  running: 'running',
  done: 'finished',
  failed: 'finished with failures',
  cancelled: 'cancelled',
};

export function RunResults({ node }: { node: string }) {
  const runId = useProvision((s) => s.shownRun[node]);
  const run = useProvision((s) => (runId ? s.runs[runId] : undefined));
  const title = useProvision((s) => s.playbooks.find((p) => p.id === run?.playbook)?.title ?? run?.playbook);
  const { cancel, dismiss } = useProvision(useShallow((s) => ({ cancel: s.cancel, dismiss: s.dismiss })));
  const ref = useRef<HTMLElement>(null);
  const shownAtMount = useRef(runId);
  // A run started just now is what the user wants to watch: bring it up, as a
  // job view would. One already there when the tab opened stays where it is.
  useEffect(() => {
    if (runId && runId !== shownAtMount.current) ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [runId]);
  if (!run) return null;
  const running = run.state === 'running';
  const Icon = running ? Loader2 : run.state === 'done' ? CheckCircle2 : run.state === 'cancelled' ? CircleSlash : XCircle;
  const where = run.nodes.length === 1 ? run.nodes[0] : `${run.nodes.length} nodes`;
  return (
    <section ref={ref} className={`panel provision-run run-state-${run.state}`} aria-labelledby="provision-run-heading" data-run-state={run.state}>
      <div className="panel-head">
        <h2 id="provision-run-heading" className="panel-title">
          <Icon size={18} aria-hidden className={running ? 'spin' : 'run-state-icon'} />
          {run.check ? 'Checking' : 'Provisioning'} {where} with {title}
        </h2>
        <div className="panel-actions">
          <span className="muted small">
            {run.engine === 'ansible' ? 'Ansible' : 'Bramble'}{run.check ? ' · check only' : ''} · {STATE_WORD[run.state]}
          </span>
          {running ? (
            <button type="button" className="button small danger" onClick={() => void cancel(run.runId)}>
              <Square size={13} aria-hidden /> Cancel
            </button>
          ) : (
            <button type="button" className="button small" onClick={() => dismiss(node)}>Clear results</button>
          )}
        </div>
      </div>
      {run.error && <p className="field-error provision-error" role="alert">{run.error}</p>}
      <TaskList events={run.events} check={run.check} multiNode={run.nodes.length > 1} />
      {run.recap && (
        <>
          <h3 className="recap-title">PLAY RECAP</h3>
          <RecapTable recap={run.recap} check={run.check} />
          {!running && (
            <p className="provision-summary" role="status" aria-label="Run summary">
              {summarySentence(run.recap, run.check, run.state)}.
            </p>
          )}
        </>
      )}
    </section>
  );
}
