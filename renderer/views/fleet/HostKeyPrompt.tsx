// A node whose host key Bramble does not know, or that changed. First contact
// asks "Trust this key?"; a changed key is a red warning, and trusting the new
// key goes through a confirmation that repeats the fingerprint, because a
// changed key is also what a machine in the middle looks like.
import { KeyRound, ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import type { NodeState } from '../../../shared/fleet';
import { useFleet } from '../../store/fleet';
import { Modal } from './Modal';
import { errorText } from './node-status';

export function HostKeyPrompt({ state }: { state: NodeState }) {
  const trust = useFleet((s) => s.trust);
  const [dismissed, setDismissed] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const fingerprint = state.presentedFingerprint;
  if (!fingerprint || dismissed === fingerprint) return null;

  const doTrust = async () => {
    setError(undefined);
    try {
      await trust(state.name, fingerprint);
      setConfirming(false);
    } catch (err) {
      setError(errorText(err));
      setConfirming(false);
    }
  };

  if (state.status === 'host-key-unknown') {
    return (
      <div className="tile-prompt prompt-warn" role="group" aria-label={`Host key of ${state.name}`}>
        <p className="prompt-title"><KeyRound size={14} aria-hidden /> Trust this key?</p>
        <p className="muted small">First contact with {state.name}: trust it if this is the fingerprint the board shows for its own key.</p>
        <code className="fingerprint">{fingerprint}</code>
        {error && <p className="field-error small" role="alert">{error}</p>}
        <div className="prompt-actions">
          <button type="button" className="button small" onClick={() => setDismissed(fingerprint)}>Dismiss</button>
          <button type="button" className="button small primary" onClick={() => void doTrust()}>Trust</button>
        </div>
      </div>
    );
  }
  if (state.status !== 'host-key-mismatch') return null;
  return (
    <div className="tile-prompt prompt-bad" role="group" aria-label={`Host key of ${state.name}`}>
      <p className="prompt-title"><ShieldAlert size={14} aria-hidden /> The host key changed</p>
      <p className="small">{state.name} now presents a different key. If you did not reflash it, something else may be answering at its address: do not connect.</p>
      <code className="fingerprint">{fingerprint}</code>
      {error && <p className="field-error small" role="alert">{error}</p>}
      <div className="prompt-actions">
        <button type="button" className="button small danger" onClick={() => setConfirming(true)}>This node was reflashed: trust the new key</button>
      </div>
      {confirming && (
        <Modal role="alertdialog" onClose={() => setConfirming(false)} title={<><ShieldAlert size={20} aria-hidden /> Trust the new key of {state.name}?</>}>
          <p>Only if you reflashed {state.name} (or replaced its SSH host keys). Bramble forgets the old key and from now on expects:</p>
          <code className="fingerprint large">{fingerprint}</code>
          <div className="dialog-actions">
            <button type="button" className="button" data-autofocus onClick={() => setConfirming(false)}>Cancel</button>
            <button type="button" className="button danger" onClick={() => void doTrust()}>Trust the new key</button>
          </div>
        </Modal>
      )}
    </div>
  );
}
