// A node whose key file has a passphrase: ask for it on the tile. The main
// process keeps it in memory for this session only, and every node using the
// same key file reconnects with it.
import { LockKeyhole } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { FleetNode, NodeState } from '../../../shared/fleet';
import { useFleet } from '../../store/fleet';
import { errorText } from './node-status';

export function needsPassphrase(state: NodeState, node: FleetNode | undefined): node is FleetNode & { auth: { kind: 'key'; path: string } } {
  return state.status === 'auth-failed' && node?.auth.kind === 'key' && /passphrase/i.test(state.detail ?? '');
}

export function PassphrasePrompt({ state, keyPath }: { state: NodeState; keyPath: string }) {
  const { unlockKey, reconnect } = useFleet();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await unlockKey(keyPath, passphrase);
      await reconnect(state.name);
      setPassphrase('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="tile-prompt prompt-warn" onSubmit={(e) => void submit(e)} aria-label={`Unlock the key of ${state.name}`}>
      <p className="prompt-title"><LockKeyhole size={14} aria-hidden /> Key passphrase</p>
      <p className="muted small mono">{keyPath}</p>
      <div className="prompt-actions">
        <input className="text-input" type="password" aria-label={`Passphrase for ${keyPath}`} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" />
        <button type="submit" className="button small primary" disabled={busy || !passphrase}>Unlock</button>
      </div>
      {error && <p className="field-error small" role="alert">{error}</p>}
    </form>
  );
}
