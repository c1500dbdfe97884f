// The question before a reboot or shutdown, naming the node: one mis-click must
// not take a board down. A shut-down Pi stays off until its power is cycled.
import { Power, RotateCcw } from 'lucide-react';
import { useState } from 'react';
import { useFleet } from '../../store/fleet';
import { Modal } from './Modal';
import { errorText } from './node-status';

export function PowerConfirm() {
  const { powerAsk, power, cancelPower } = useFleet();
  const [error, setError] = useState<string>();
  if (!powerAsk) return null;
  const { name, action } = powerAsk;
  const close = () => {
    setError(undefined);
    cancelPower();
  };
  const go = async () => {
    try {
      await power(name, action);
      setError(undefined);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Modal role="alertdialog" onClose={close} title={action === 'reboot' ? <><RotateCcw size={20} aria-hidden /> Reboot {name}?</> : <><Power size={20} aria-hidden /> Shut down {name}?</>}>
      <p>
        {action === 'reboot'
          ? `${name} restarts now; anything running on it stops. Bramble waits for it to come back.`
          : `${name} powers off and stays off: a Raspberry Pi only starts again when its power is unplugged and plugged back in.`}
      </p>
      {error && <p className="field-error" role="alert">{error}</p>}
      <div className="dialog-actions">
        <button type="button" className="button" data-autofocus onClick={close}>Keep it running</button>
        <button type="button" className="button danger" onClick={() => void go()}>{action === 'reboot' ? `Reboot ${name}` : `Shut down ${name}`}</button>
      </div>
    </Modal>
  );
}
