// Which nodes a run goes to: this node (the default), one group, or the whole fleet.
import type { FleetNode } from '../../../../shared/fleet';
import { useFleet } from '../../../store/fleet';
import { useShallow } from 'zustand/react/shallow';
import { useProvision, type Target } from '../../../store/provision';

/** The groups in the inventory, sorted, each once. */
export function groupsOf(nodes: FleetNode[]): string[] {
  return [...new Set(nodes.flatMap((n) => n.groups))].sort();
}

/** The node names a target stands for, in inventory order. */
export function targetNodes(target: Target, node: string, nodes: FleetNode[]): string[] {
  if (target.kind === 'node') return [node];
  if (target.kind === 'all') return nodes.map((n) => n.name);
  return nodes.filter((n) => n.groups.includes(target.group)).map((n) => n.name);
}

export function TargetChoice({ node, disabled }: { node: string; disabled: boolean }) {
  const { target, setTarget } = useProvision(useShallow((s) => ({ target: s.target, setTarget: s.setTarget })));
  const nodes = useFleet((s) => s.nodes);
  const groups = groupsOf(nodes);
  const group = target.kind === 'group' ? target.group : groups[0];
  return (
    <fieldset className="choice-set target-choice" disabled={disabled}>
      <legend>Run on</legend>
      <label className="toggle">
        <input type="radio" name="target" checked={target.kind === 'node'} onChange={() => setTarget({ kind: 'node' })} />
        This node ({node})
      </label>
      <span className="target-group">
        <label className="toggle">
          <input type="radio" name="target" checked={target.kind === 'group'} disabled={groups.length === 0} onChange={() => group && setTarget({ kind: 'group', group })} />
          {groups.length === 0 ? 'A group (none in the inventory)' : 'A group'}
        </label>
        {groups.length > 0 && (
          <select
            className="text-input ui-font provision-select"
            aria-label="Group"
            value={group}
            // Picking a group is choosing to run on it.
            onChange={(e) => setTarget({ kind: 'group', group: e.target.value })}
          >
            {groups.map((g) => (
              <option key={g} value={g}>
                {g} ({nodes.filter((n) => n.groups.includes(g)).length})
              </option>
            ))}
          </select>
        )}
      </span>
      <label className="toggle">
        <input type="radio" name="target" checked={target.kind === 'all'} onChange={() => setTarget({ kind: 'all' })} />
        All nodes ({nodes.length})
      </label>
    </fieldset>
  );
}
