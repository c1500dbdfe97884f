// A flashed board Bramble has not found as NAME.local: the user may know its
// address (a DHCP lease, the router's page). Bramble tries there and adopts it
// only if the host key recorded at flashing answers.
import { MapPin } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { NodeState } from '../../../shared/fleet';
import { bridge } from '../../bridge';
import { errorText } from './node-status';

export function LocatePrompt({ state }: { state: NodeState }) {
  const [host, setHost] = useState('');
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setNote(undefined);
    try {
      const r = await bridge.fleet.locate({ name: state.name, host: host.trim() });
      if (!r.joined) setNote(r.note ?? `Nothing answered as ${state.name} at ${host.trim()}.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="tile-prompt" onSubmit={(e) => void submit(e)} aria-label={`Find ${state.name} at an address`}>
      <p className="prompt-title"><MapPin size={14} aria-hidden /> Know its address?</p>
      <div className="prompt-actions">
        <input className="text-input mono" aria-label={`Address of ${state.name}`} placeholder="192.168.1.40" value={host} onChange={(e) => setHost(e.target.value)} spellCheck={false} />
        <button type="submit" className="button small" disabled={busy || !host.trim()}>{busy ? 'Looking…' : 'Find'}</button>
      </div>
      {note && <p className="muted small" role="status">{note}</p>}
      {error && <p className="field-error small" role="alert">{error}</p>}
    </form>
  );
}
