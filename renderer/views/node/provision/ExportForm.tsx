// Export for Ansible: the chosen playbook with an inventory and ansible.cfg for
// the chosen nodes, written to a folder that ansible-playbook can use as it is.
import { ChevronRight, PackageOpen } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useProvision } from '../../../store/provision';

export function ExportForm({ nodes }: { nodes: string[] }) {
  const { chosen, exportProject } = useProvision(useShallow((s) => ({ chosen: s.chosen, exportProject: s.exportProject })));
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ dir: string; files: string[] } | { error: string } | undefined>(undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      setResult(await exportProject(nodes, dir.trim()));
    } catch (error) {
      setResult({ error: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="export-ansible">
      <summary>
        <ChevronRight size={14} aria-hidden className="chevron" />
        <PackageOpen size={15} aria-hidden /> Export for Ansible
      </summary>
      <form className="path-row" onSubmit={(e) => void submit(e)}>
        <input
          className="text-input"
          aria-label="Export folder"
          placeholder="/home/you/bramble-ansible"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          spellCheck={false}
        />
        <button type="submit" className="button" disabled={busy || !chosen || !dir.trim() || nodes.length === 0}>
          {busy ? 'Writing…' : 'Export'}
        </button>
      </form>
      <p className="muted small">The inventory, ansible.cfg and the playbook for the nodes chosen above; run it there with <span className="mono">ansible-playbook</span>.</p>
      {result && 'error' in result && <p className="field-error" role="alert">{result.error}</p>}
      {result && 'files' in result && (
        <div role="status" aria-label="Export result">
          <p>Wrote {result.files.length} {result.files.length === 1 ? 'file' : 'files'} to <span className="mono">{result.dir}</span>:</p>
          <ul className="export-files">
            {result.files.map((f) => (
              <li key={f} className="mono">{f}</li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}
