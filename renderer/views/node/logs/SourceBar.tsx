// What the node sends: journal or kernel log, one unit, up to a priority, from
// a point in time. These filters run on the node (journalctl), so changing one
// reopens the stream rather than hiding lines already received.
import { useEffect, useState } from 'react';
import { PRIORITY_NAMES } from '../../../../shared/logs/log-entry';
import { SINCE_OPTIONS, type LogSource, type SinceOption } from '../../../store/logs';

export function SourceBar({ source, onChange }: { source: LogSource; onChange(s: LogSource): void }) {
  const [unit, setUnit] = useState(source.unit);
  useEffect(() => setUnit(source.unit), [source.unit]);
  const commitUnit = () => {
    if (unit.trim() !== source.unit) onChange({ ...source, unit: unit.trim() });
  };
  return (
    <div className="log-source-bar">
      <div className="segmented text" role="radiogroup" aria-label="Log source">
        <button type="button" role="radio" aria-checked={!source.kernel} onClick={() => source.kernel && onChange({ ...source, kernel: false })}>
          Journal
        </button>
        <button type="button" role="radio" aria-checked={source.kernel} onClick={() => !source.kernel && onChange({ ...source, kernel: true })}>
          Kernel
        </button>
      </div>
      <form
        className="log-unit"
        onSubmit={(e) => {
          e.preventDefault();
          commitUnit();
        }}
      >
        <input
          className="text-input compact-wide"
          aria-label="Unit"
          placeholder={source.kernel ? 'the kernel log has no units' : 'unit, e.g. ssh.service'}
          value={source.kernel ? '' : unit}
          disabled={source.kernel}
          onChange={(e) => setUnit(e.target.value)}
          onBlur={commitUnit}
          spellCheck={false}
          maxLength={256}
        />
      </form>
      <select
        className="select-input"
        aria-label="Priority"
        value={source.priority ?? ''}
        onChange={(e) => onChange({ ...source, priority: e.target.value === '' ? undefined : Number(e.target.value) })}
      >
        <option value="">All priorities</option>
        {PRIORITY_NAMES.map((name, p) => (
          <option key={name} value={p}>
            {p === 0 ? `${name} only` : `${name} and worse`}
          </option>
        ))}
      </select>
      <select className="select-input" aria-label="Since" value={source.since} onChange={(e) => onChange({ ...source, since: e.target.value as SinceOption })}>
        {SINCE_OPTIONS.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
