// Fleet: every node as a tile, coloured by status, with a summary of the cluster.
import { Network } from 'lucide-react';
import { EmptyState } from '../components/EmptyState';
import { StatusPill } from '../components/StatusPill';
import { ViewHeader } from '../components/ViewHeader';
import { useNavigation } from '../store/navigation';

export function FleetView() {
  const go = useNavigation((s) => s.go);
  return (
    <div className="view">
      <ViewHeader title="Fleet" subtitle="Each board in your cluster, live: red when it drops, green when it returns." />
      <div className="summary-bar" aria-label="Fleet summary">
        <StatusPill status="online">0 online</StatusPill>
        <StatusPill status="offline">0 offline</StatusPill>
        <StatusPill status="warning">0 warnings</StatusPill>
      </div>
      <EmptyState
        icon={<Network size={40} aria-hidden />}
        title="No nodes yet"
        action={
          <button type="button" className="button primary" onClick={() => go('flash')}>
            Flash cards for new nodes
          </button>
        }
      >
        <p>Nodes appear here when the cards you flash with Bramble boot, or when you add an existing board by its address.</p>
      </EmptyState>
    </div>
  );
}
