// The last question before erasing: exactly which cards, by name and size.
import { AlertTriangle } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { formatBytes } from '../../../shared/drives';
import { useFlash } from '../../store/flash';

export function ConfirmErase() {
  const { confirming, setConfirming, selected, drives, image, write } = useFlash();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);
  if (!confirming || !image) return null;
  const cards = selected.map((device) => drives.find((d) => d.device === device)).filter((d) => d !== undefined);
  return (
    <div className="overlay" role="presentation" onKeyDown={(e) => e.key === 'Escape' && setConfirming(false)}>
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-body">
        <h2 id="confirm-title"><AlertTriangle size={20} aria-hidden /> Erase {cards.length === 1 ? 'this card' : `these ${cards.length} cards`}?</h2>
        <div id="confirm-body">
          <p>Everything on them is replaced by {image.name}.</p>
          <ul className="confirm-list">
            {cards.map((d) => (
              <li key={d.device}>
                <strong>{d.description}</strong> <span className="mono muted">{d.device}</span> · {d.size === null ? '?' : formatBytes(d.size)}
                {d.verdicts.map((v) => (
                  <div key={v.code} className={`verdict verdict-${v.level}`}>{v.message}</div>
                ))}
              </li>
            ))}
          </ul>
        </div>
        <div className="dialog-actions">
          <button ref={cancelRef} type="button" className="button" onClick={() => setConfirming(false)}>Keep them</button>
          <button type="button" className="button danger" onClick={() => void write()}>Erase and write</button>
        </div>
      </div>
    </div>
  );
}
