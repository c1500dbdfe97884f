// Choosing what to run: the built-in playbooks as cards, files used before, and
// "Open a playbook file…" (a native dialog in the app, a path field in a browser).
import { BookOpen, FileCode2, FolderOpen } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PlaybookInfo } from '../../../../shared/provision';
import { useProvision } from '../../../store/provision';
import { PlaybookOutline } from './PlaybookOutline';

export function PlaybookPicker({ disabled }: { disabled: boolean }) {
  const { playbooks, chosen, loadError, inspectError, inspecting, pick } = useProvision(useShallow((s) => ({ playbooks: s.playbooks, chosen: s.chosen, loadError: s.loadError, inspectError: s.inspectError, inspecting: s.inspecting, pick: s.pick })));
  const [pathField, setPathField] = useState<{ note?: string } | undefined>(undefined);
  const info = playbooks.find((p) => p.id === chosen);

  const open = async () => {
    const r = await pick();
    // No dialog here (a browser) or it failed: typing the path is the way on.
    if (r.error) setPathField({ note: r.error });
  };

  return (
    <section className="panel" aria-labelledby="playbook-heading">
      <div className="panel-head">
        <h2 id="playbook-heading" className="panel-title">Playbook</h2>
        <div className="playbook-open">
          <button type="button" className="button small" disabled={disabled || inspecting} onClick={() => void open()}>
            <FolderOpen size={14} aria-hidden /> Open a playbook file…
          </button>
          {!pathField && (
            <button type="button" className="link-button small" onClick={() => setPathField({})}>or type its path</button>
          )}
        </div>
      </div>
      {loadError && <p className="field-error" role="alert">{loadError}</p>}
      {pathField && <PathField note={pathField.note} disabled={disabled} />}
      {inspectError && (
        <p className="field-error provision-error" role="alert">
          Bramble cannot run that playbook: {inspectError}
        </p>
      )}
      <div className="playbook-cards" role="radiogroup" aria-label="Playbook">
        {playbooks.map((p) => (
          <PlaybookCard key={p.id} info={p} checked={p.id === chosen} disabled={disabled} />
        ))}
        {playbooks.length === 0 && !loadError && <p className="muted">Loading playbooks…</p>}
      </div>
      {info && <PlaybookOutline info={info} />}
    </section>
  );
}

function PlaybookCard({ info, checked, disabled }: { info: PlaybookInfo; checked: boolean; disabled: boolean }) {
  const choose = useProvision((s) => s.choose);
  const id = useId();
  const Icon = info.source === 'builtin' ? BookOpen : FileCode2;
  return (
    <label className={`playbook-card${checked ? ' chosen' : ''}`} data-playbook={info.id}>
      <input
        type="radio"
        name="playbook"
        className="visually-hidden"
        checked={checked}
        disabled={disabled}
        onChange={() => choose(info.id)}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
      />
      <span className="playbook-card-icon"><Icon size={18} aria-hidden /></span>
      <span className="playbook-card-text">
        <span id={`${id}-title`} className="playbook-card-title">{info.title}</span>
        <span id={`${id}-desc`} className={`playbook-card-desc${info.source === 'file' ? ' mono' : ''}`}>{info.description}</span>
        {info.requiredVars.length > 0 && <span className="playbook-card-vars">Needs {info.requiredVars.join(', ')}</span>}
      </span>
    </label>
  );
}

function PathField({ note, disabled }: { note: string | undefined; disabled: boolean }) {
  const { inspect, inspecting } = useProvision(useShallow((s) => ({ inspect: s.inspect, inspecting: s.inspecting })));
  const [path, setPath] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) void inspect(path.trim());
  };
  return (
    <form className="path-row" onSubmit={submit}>
      <input
        className="text-input"
        aria-label="Playbook file path"
        placeholder="/home/you/playbooks/site.yml"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        spellCheck={false}
        disabled={disabled}
      />
      <button type="submit" className="button" disabled={disabled || inspecting || !path.trim()}>{inspecting ? 'Reading…' : 'Open'}</button>
      {note && <p className="muted small path-note">{note}</p>}
    </form>
  );
}
