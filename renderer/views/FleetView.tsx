// Fleet: every node as a tile, coloured by status, with a summary of the cluster,
// the inventory's add/import/export, and a command run on the ticked nodes.
import { Download, Network, Plus, Upload, Zap } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { FleetNode } from '../../shared/fleet';
import { EmptyState } from '../components/EmptyState';
import { ViewHeader } from '../components/ViewHeader';
import { useFleet } from '../store/fleet';
import { useNavigation } from '../store/navigation';
import { ExportPanel } from './fleet/ExportPanel';
import { ImportPanel } from './fleet/ImportPanel';
import { NodeDialog } from './fleet/NodeDialog';
import { NodeTile } from './fleet/NodeTile';
import { PowerConfirm } from './fleet/PowerConfirm';
import { PowerTimeline } from './fleet/PowerTimeline';
import { RemoveConfirm } from './fleet/RemoveConfirm';
import { RunPanel } from './fleet/RunPanel';
import { SelectionBar } from './fleet/SelectionBar';
import { SummaryBar } from './fleet/SummaryBar';

type Dialog = { kind: 'add' } | { kind: 'edit'; node: FleetNode } | { kind: 'remove'; name: string };

export function FleetView() {
  const go = useNavigation((s) => s.go);
  const { states, nodes, loaded, error, load } = useFleet();
  const [dialog, setDialog] = useState<Dialog>();
  const [panel, setPanel] = useState<'import' | 'export'>();
  const [timeline, setTimeline] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  const byName = new Map(nodes.map((n) => [n.name, n]));
  const togglePanel = (p: 'import' | 'export') => setPanel(panel === p ? undefined : p);

  return (
    <div className="view">
      <ViewHeader
        title="Fleet"
        subtitle="Each board in your cluster, live: red when it drops, green when it returns."
        actions={
          <>
            <button type="button" className="button" aria-pressed={timeline} onClick={() => setTimeline(!timeline)} disabled={nodes.length === 0}><Zap size={15} aria-hidden /> Power timeline</button>
            <button type="button" className="button" aria-pressed={panel === 'import'} onClick={() => togglePanel('import')}><Upload size={15} aria-hidden /> Import</button>
            <button type="button" className="button" aria-pressed={panel === 'export'} onClick={() => togglePanel('export')} disabled={nodes.length === 0}><Download size={15} aria-hidden /> Export</button>
            <button type="button" className="button primary" onClick={() => setDialog({ kind: 'add' })}><Plus size={15} aria-hidden /> Add node</button>
          </>
        }
      />
      <SummaryBar states={states} />
      {error && <p className="field-error" role="alert">{error}</p>}
      {panel === 'import' && <ImportPanel />}
      {panel === 'export' && <ExportPanel />}
      {timeline && nodes.length > 0 && <PowerTimeline />}
      {loaded && states.length === 0 ? (
        <EmptyState
          icon={<Network size={40} aria-hidden />}
          title="No nodes yet"
          action={
            <>
              <button type="button" className="button primary" onClick={() => go('flash')}>Flash cards for new nodes</button>
              <button type="button" className="button" onClick={() => setDialog({ kind: 'add' })}>Add a node</button>
            </>
          }
        >
          <p>Nodes appear here when the cards you flash with Bramble boot, or when you add an existing board by its address.</p>
        </EmptyState>
      ) : (
        <>
          {nodes.length > 0 && <SelectionBar nodes={nodes} />}
          <ul className="tile-grid" aria-label="Nodes">
            {states.map((s) => (
              <NodeTile key={s.name} state={s} node={byName.get(s.name)} onEdit={(node) => setDialog({ kind: 'edit', node })} onRemove={(name) => setDialog({ kind: 'remove', name })} />
            ))}
          </ul>
          {nodes.length > 0 && <RunPanel />}
        </>
      )}
      {dialog?.kind === 'add' && <NodeDialog onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'edit' && <NodeDialog node={dialog.node} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'remove' && <RemoveConfirm name={dialog.name} onClose={() => setDialog(undefined)} />}
      <PowerConfirm />
    </div>
  );
}
