// The Node panel's title row: the node's status, address and what is going on,
// with Reboot and Shut down (each confirmed, naming the node).
import { Power, RotateCcw } from 'lucide-react';
import type { NodeState } from '../../../shared/fleet';
import { StatusPill } from '../../components/StatusPill';
import { ViewHeader } from '../../components/ViewHeader';
import { useFleet } from '../../store/fleet';
import { pillOf, statusWord, warningOf } from '../fleet/node-status';

export function NodeHeader({ name, state }: { name: string; state: NodeState | undefined }) {
  const askPower = useFleet((s) => s.askPower);
  const online = state?.status === 'online';
  const warning = state && warningOf(state);
  return (
    <ViewHeader
      title={name}
      subtitle={
        state ? (
          <span className="node-subtitle">
            <StatusPill status={pillOf(state)}>{statusWord(state)}{warning && online ? ` · ${warning}` : ''}</StatusPill>
            {state.address && <span className="mono">{state.address}</span>}
            {state.detail && <span className="node-detail">{state.detail}</span>}
          </span>
        ) : (
          'Not in the fleet (any more): it may have been removed.'
        )
      }
      actions={
        state && (
          <>
            <button type="button" className="button" disabled={!online} onClick={() => askPower(name, 'reboot')}><RotateCcw size={15} aria-hidden /> Reboot</button>
            <button type="button" className="button" disabled={!online} onClick={() => askPower(name, 'shutdown')}><Power size={15} aria-hidden /> Shut down</button>
          </>
        )
      }
    />
  );
}
