// The Node panel's Provision tab: choose a playbook, where and how to run it,
// press Provision, watch each task report per node, and look back at past runs.
import { Play, SearchCheck } from 'lucide-react';
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useFleet } from '../../store/fleet';
import { subscribeProvisionEvents, useProvision } from '../../store/provision';
import { ExportForm } from './provision/ExportForm';
import { HistoryList } from './provision/HistoryList';
import { PlaybookPicker } from './provision/PlaybookPicker';
import { RunOptions } from './provision/RunOptions';
import { RunResults } from './provision/RunResults';
import { TagFilter } from './provision/TagFilter';
import { TargetChoice, targetNodes } from './provision/TargetChoice';
import { VarsForm } from './provision/VarsForm';

export function ProvisionTab({ node }: { node: string }) {
  const { loaded, load, playbooks, chosen, choose, vars, target, check, start, runError } = useProvision(useShallow((s) => ({ loaded: s.loaded, load: s.load, playbooks: s.playbooks, chosen: s.chosen, choose: s.choose, vars: s.vars, target: s.target, check: s.check, start: s.start, runError: s.runError })));
  const nodes = useFleet((s) => s.nodes);
  const states = useFleet((s) => s.states);
  const running = useProvision((s) => {
    const id = s.shownRun[node];
    return id !== undefined && s.runs[id]?.state === 'running';
  });

  useEffect(() => {
    subscribeProvisionEvents();
    if (!loaded) void load();
  }, [loaded, load]);
  // The base node playbook is what most people come here for.
  useEffect(() => {
    if (!chosen && playbooks[0]) choose(playbooks[0].id);
  }, [chosen, playbooks, choose]);

  const playbook = playbooks.find((p) => p.id === chosen);
  const targets = targetNodes(target, node, nodes);
  const missing = playbook?.requiredVars.filter((v) => !(vars[v] ?? '').trim()) ?? [];
  const blocker = !playbook
    ? 'Choose a playbook first.'
    : targets.length === 0
      ? 'No nodes in that choice.'
      : missing.length > 0
        ? `Fill in ${missing.join(', ')}.`
        : undefined;
  const offline = targets.filter((n) => states.find((x) => x.name === n)?.status !== 'online');
  const count = `${targets.length} ${targets.length === 1 ? 'node' : 'nodes'}`;

  return (
    <div className="provision-tab">
      <PlaybookPicker disabled={running} />
      <section className="panel" aria-labelledby="provision-run-options">
        <h2 id="provision-run-options" className="panel-title">Run</h2>
        <div className="provision-form">
          <TargetChoice node={node} disabled={running} />
          <VarsForm names={playbook?.requiredVars ?? []} disabled={running} />
          <RunOptions disabled={running} />
          <TagFilter tags={playbook?.tags ?? []} disabled={running} />
        </div>
        <div className="provision-go">
          <button type="button" className="button primary" disabled={running || blocker !== undefined} onClick={() => void start(node, targets)}>
            {check ? <SearchCheck size={15} aria-hidden /> : <Play size={15} aria-hidden />}
            {check ? `Check ${count}` : `Provision ${count}`}
          </button>
          {blocker && <span className="muted small">{blocker}</span>}
          {!blocker && target.kind !== 'node' && <span className="muted small mono provision-targets">{targets.join(', ')}</span>}
        </div>
        {offline.length > 0 && (
          <p className="provision-offline small" role="note">
            Not online now: {offline.join(', ')}. {offline.length === 1 ? 'It' : 'They'} will be reported unreachable unless back by then.
          </p>
        )}
        {runError && <p className="field-error provision-error" role="alert">{runError}</p>}
        <ExportForm nodes={targets} />
      </section>
      <RunResults node={node} />
      <HistoryList node={node} />
    </div>
  );
}
