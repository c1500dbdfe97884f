// Bring in nodes from an inventory file (Ansible YAML or INI, an ssh config):
// each entry is added, updated or skipped with its reason.
import { useState, type FormEvent } from 'react';
import type { ImportResult } from '../../../shared/fleet';
import { useFleet } from '../../store/fleet';
import { errorText } from './node-status';

export function ImportPanel() {
  const importInventory = useFleet((s) => s.import);
  const [path, setPath] = useState('');
  const [defaultUser, setDefaultUser] = useState('');
  const [result, setResult] = useState<ImportResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await importInventory(path.trim(), defaultUser.trim()));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="import-heading">
      <h2 id="import-heading" className="panel-title">Import an inventory</h2>
      <form className="path-row" onSubmit={(e) => void submit(e)}>
        <input className="text-input" aria-label="Inventory file path" placeholder="/home/you/cluster/inventory.ini" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
        <input className="text-input compact-wide" aria-label="Default user" placeholder="User when the file names none" value={defaultUser} onChange={(e) => setDefaultUser(e.target.value)} spellCheck={false} />
        <button type="submit" className="button primary" disabled={busy || !path.trim()}>Import</button>
      </form>
      <p className="muted small">Ansible inventories (INI or YAML, with ansible_host, ansible_user, ansible_port, ansible_ssh_private_key_file) are read; nodes already known by name are updated.</p>
      {error && <p className="field-error" role="alert">{error}</p>}
      {result && (
        <div className="import-result" role="status" aria-label="Import result">
          <p>
            <strong>{result.added.length}</strong> added, <strong>{result.updated.length}</strong> updated, <strong>{result.skipped.length}</strong> skipped.
          </p>
          {result.added.length > 0 && <p className="muted small">Added: {result.added.join(', ')}</p>}
          {result.updated.length > 0 && <p className="muted small">Updated: {result.updated.join(', ')}</p>}
          {result.skipped.length > 0 && (
            <ul className="skipped">
              {result.skipped.map((s) => (
                <li key={s.entry} className="verdict verdict-warning"><span className="mono">{s.entry}</span>: {s.reason}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
