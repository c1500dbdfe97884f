// Which nodes a command goes to: tick tiles one by one, all at once, or a whole group.
import type { FleetNode } from '../../../shared/fleet';
import { useFleet } from '../../store/fleet';

export function SelectionBar({ nodes }: { nodes: FleetNode[] }) {
  const { selected, setSelected } = useFleet();
  const groups = [...new Set(nodes.flatMap((n) => n.groups))].sort();
  const all = nodes.map((n) => n.name);
  const allTicked = all.length > 0 && all.every((n) => selected.includes(n));
  return (
    <div className="selection-bar">
      <label className="toggle">
        <input type="checkbox" checked={allTicked} onChange={(e) => setSelected(e.target.checked ? all : [])} /> Select all
      </label>
      {groups.length > 0 && (
        <select
          className="text-input compact"
          aria-label="Select a group"
          value=""
          onChange={(e) => {
            const group = e.target.value;
            const members = nodes.filter((n) => n.groups.includes(group)).map((n) => n.name);
            setSelected([...new Set([...selected, ...members])]);
          }}
        >
          <option value="">Add a group…</option>
          {groups.map((g) => (
            <option key={g} value={g}>{g} ({nodes.filter((n) => n.groups.includes(g)).length})</option>
          ))}
        </select>
      )}
      <span className="muted small">{selected.length === 0 ? 'Tick nodes to run a command on them.' : `${selected.length} of ${all.length} selected`}</span>
      {selected.length > 0 && (
        <button type="button" className="button small" onClick={() => setSelected([])}>Clear</button>
      )}
    </div>
  );
}
