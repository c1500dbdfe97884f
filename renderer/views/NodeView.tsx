// Node: one board in depth, with tabs for provisioning, logs, power and a terminal.
import { Cpu, FileText, PlayCircle, TerminalSquare, Zap } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { EmptyState } from '../components/EmptyState';
import { ViewHeader } from '../components/ViewHeader';
import { useFleet } from '../store/fleet';
import { NODE_TABS, useNavigation, type NodeTab } from '../store/navigation';
import { PowerConfirm } from './fleet/PowerConfirm';
import { NodeHeader } from './node/NodeHeader';
import { LogsTab } from './node/LogsTab';
import { PowerTab } from './node/PowerTab';
import { ProvisionTab } from './node/ProvisionTab';
import { TerminalTab } from './node/TerminalTab';

const TAB_EMPTY: Record<NodeTab, { icon: ReactNode; title: string; text: string }> = {
  provision: { icon: <PlayCircle size={40} aria-hidden />, title: 'Provision this node', text: 'Run a playbook (the built-in base node playbook or your own Ansible playbook) and watch each task report ok, changed or failed.' },
  logs: { icon: <FileText size={40} aria-hidden />, title: 'Journal and kernel log', text: 'Browse and follow the node’s journal and kernel log, filtered by unit, priority or text.' },
  power: { icon: <Zap size={40} aria-hidden />, title: 'Power and temperature', text: 'Under-voltage, throttling and temperature over time, with an alert the moment the supply sags.' },
  terminal: { icon: <TerminalSquare size={40} aria-hidden />, title: 'Terminal', text: 'A shell on the node over its existing SSH connection.' },
};

export function NodeView() {
  const { selectedNode, nodeTab, setNodeTab, go } = useNavigation();
  const state = useFleet((s) => s.states.find((x) => x.name === selectedNode));
  const { loaded, load } = useFleet();
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);

  if (!selectedNode) {
    return (
      <div className="view">
        <ViewHeader title="Node" subtitle="One board in depth: provisioning, logs, power and a terminal." />
        <EmptyState
          icon={<Cpu size={40} aria-hidden />}
          title="No node selected"
          action={
            <button type="button" className="button primary" onClick={() => go('fleet')}>
              Go to Fleet
            </button>
          }
        >
          <p>Pick a node in the Fleet view to open its panel here.</p>
        </EmptyState>
      </div>
    );
  }
  const empty = TAB_EMPTY[nodeTab];
  return (
    <div className="view">
      <NodeHeader name={selectedNode} state={state} />
      <div className="tabs" role="tablist" aria-label="Node panel">
        {NODE_TABS.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={nodeTab === tab.id}
            aria-controls={`panel-${tab.id}`}
            className="tab"
            onClick={() => setNodeTab(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${nodeTab}`} aria-labelledby={`tab-${nodeTab}`} className="tab-panel">
        {nodeTab === 'provision' ? (
          <ProvisionTab key={selectedNode} node={selectedNode} />
        ) : nodeTab === 'power' ? (
          <PowerTab key={selectedNode} node={selectedNode} />
        ) : nodeTab === 'logs' ? (
          <LogsTab key={selectedNode} node={selectedNode} />
        ) : nodeTab === 'terminal' ? (
          <TerminalTab key={selectedNode} node={selectedNode} online={state?.status === 'online'} />
        ) : (
          <EmptyState icon={empty.icon} title={empty.title}>
            <p>{empty.text}</p>
          </EmptyState>
        )}
      </div>
      <PowerConfirm />
    </div>
  );
}
