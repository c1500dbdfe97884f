// One node at a glance: coloured by status, with its address, what is going on
// in one sentence, and its vitals. The face of the tile opens the Node panel;
// the checkbox ticks it for a command; trouble that needs the user (a host key,
// a passphrase) is asked right on the tile.
import { Clock, Cpu, MemoryStick, Thermometer } from 'lucide-react';
import type { FleetNode, NodeState } from '../../../shared/fleet';
import { useFleet } from '../../store/fleet';
import { useNavigation } from '../../store/navigation';
import { HostKeyPrompt } from './HostKeyPrompt';
import { LocatePrompt } from './LocatePrompt';
import { NodeMenu } from './NodeMenu';
import { PassphrasePrompt, needsPassphrase } from './PassphrasePrompt';
import { ThrottleBadge } from './ThrottleBadge';
import { HOT_C, accessibleName, statusWord, formatUptime, memoryUsedPercent, toneOf, warningOf } from './node-status';

export function NodeTile(props: { state: NodeState; node: FleetNode | undefined; onEdit(node: FleetNode): void; onRemove(name: string): void }) {
  const { state, node } = props;
  const openNode = useNavigation((s) => s.openNode);
  const selected = useFleet((s) => s.selected.includes(state.name));
  const { toggleSelected, askPower, reconnect } = useFleet();
  const tone = toneOf(state);
  const warning = warningOf(state);
  const v = state.vitals;
  const mem = v && memoryUsedPercent(v);
  const inInventory = node !== undefined;
  const online = state.status === 'online';
  // The host-key prompt below says the same with the fingerprint; once is enough.
  const hostKeyAsked = state.presentedFingerprint !== undefined && state.status.startsWith('host-key');

  return (
    <li className={`tile tone-${tone}${selected ? ' selected' : ''}`} data-status={state.status} data-tone={tone} data-node={state.name}>
      <div className="tile-top">
        {inInventory && <input type="checkbox" aria-label={`Select ${state.name}`} checked={selected} onChange={() => toggleSelected(state.name)} />}
        <span className="tile-word">{statusWord(state)}{warning && online ? ` · ${warning}` : ''}</span>
        {inInventory && (
          <NodeMenu
            name={state.name}
            actions={{
              onReboot: online ? () => askPower(state.name, 'reboot') : undefined,
              onShutdown: online ? () => askPower(state.name, 'shutdown') : undefined,
              onReconnect: () => void reconnect(state.name),
              onEdit: () => props.onEdit(node),
              onRemove: () => props.onRemove(state.name),
            }}
          />
        )}
      </div>
      <button type="button" className="tile-open" aria-label={accessibleName(state)} onClick={() => openNode(state.name)} disabled={!inInventory}>
        <span className="tile-name">
          <span className="status-dot" aria-hidden />
          {state.name}
        </span>
        <span className="tile-address mono">{state.address ?? (node ? node.host : 'address not known yet')}</span>
        {state.detail && !hostKeyAsked && <span className="tile-detail">{state.detail}</span>}
        {v && online && (
          <span className="vitals">
            <span className="vital" title="Uptime"><Clock size={13} aria-hidden /> {formatUptime(v.uptimeSeconds)}</span>
            <span className="vital" title="Load (1 min)"><Cpu size={13} aria-hidden /> {v.load1.toFixed(2)}</span>
            {mem !== undefined && <span className="vital" title="Memory used"><MemoryStick size={13} aria-hidden /> {mem}%</span>}
            {v.tempC !== null && (
              <span className={`vital${v.tempC >= HOT_C ? ' hot' : ''}`} title="SoC temperature"><Thermometer size={13} aria-hidden /> {Math.round(v.tempC)} °C</span>
            )}
            <ThrottleBadge throttled={v.throttled} />
          </span>
        )}
      </button>
      <HostKeyPrompt state={state} />
      {state.status === 'pending' && <LocatePrompt state={state} />}
      {needsPassphrase(state, node) && <PassphrasePrompt state={state} keyPath={node.auth.path} />}
    </li>
  );
}
