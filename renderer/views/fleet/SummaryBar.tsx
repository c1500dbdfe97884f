// The cluster in one line: how many nodes are up, down, or need a look.
import type { NodeState } from '../../../shared/fleet';
import { StatusPill } from '../../components/StatusPill';
import { isRebooting, toneOf } from './node-status';

export function SummaryBar({ states }: { states: NodeState[] }) {
  const count = { online: 0, offline: 0, warning: 0, idle: 0 };
  for (const s of states) count[toneOf(s)] += 1;
  const pending = states.filter((s) => s.status === 'pending').length;
  const rebooting = states.filter(isRebooting).length;
  const connecting = count.idle - pending - rebooting;
  return (
    <div className="summary-bar" aria-label="Fleet summary" role="status">
      <StatusPill status="online">{count.online} online</StatusPill>
      <StatusPill status="offline">{count.offline} offline</StatusPill>
      <StatusPill status="warning">{count.warning} {count.warning === 1 ? 'warning' : 'warnings'}</StatusPill>
      {rebooting > 0 && <StatusPill status="connecting">{rebooting} rebooting</StatusPill>}
      {connecting > 0 && <StatusPill status="connecting">{connecting} connecting</StatusPill>}
      {pending > 0 && <StatusPill status="pending">{pending} pending</StatusPill>}
    </div>
  );
}
