// Removing a node forgets it (inventory entry and connection); the board itself is untouched.
import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useFleet } from '../../store/fleet';
import { Modal } from './Modal';
import { errorText } from './node-status';

export function RemoveConfirm({ name, onClose }: { name: string; onClose(): void }) {
  const remove = useFleet((s) => s.remove);
  const [error, setError] = useState<string>();
  const go = async () => {
    try {
      await remove(name);
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Modal role="alertdialog" onClose={onClose} title={<><Trash2 size={20} aria-hidden /> Remove {name}?</>}>
      <p>Bramble forgets {name}: its inventory entry and its connection. Nothing on the board changes; add it again at any time.</p>
      {error && <p className="field-error" role="alert">{error}</p>}
      <div className="dialog-actions">
        <button type="button" className="button" data-autofocus onClick={onClose}>Keep it</button>
        <button type="button" className="button danger" onClick={() => void go()}>Remove {name}</button>
      </div>
    </Modal>
  );
}
