// Step 2: the cards. Each drive with its size and safety verdicts; a drive
// with an error verdict cannot be ticked; system drives appear only on request.
import { HardDrive } from 'lucide-react';
import { formatBytes } from '../../../shared/drives';
import { isSelectable, useFlash } from '../../store/flash';

export function DrivePicker({ disabled }: { disabled: boolean }) {
  const { drives, selected, toggle, showSystem, showVirtual, setShowSystem, setShowVirtual, drivesError } = useFlash();
  return (
    <section className="panel" aria-labelledby="drives-heading">
      <div className="panel-head">
        <h2 id="drives-heading" className="panel-title"><span className="step-number">2</span> Cards</h2>
        <div className="toggles">
          <label className="toggle">
            <input type="checkbox" checked={showVirtual} onChange={(e) => setShowVirtual(e.target.checked)} /> Show virtual drives
          </label>
          <label className="toggle">
            <input
              type="checkbox"
              checked={showSystem}
              onChange={(e) => {
                if (e.target.checked && !window.confirm('System drives hold this computer’s own data. Show them anyway? Writing one destroys it.')) return;
                setShowSystem(e.target.checked);
              }}
            />{' '}
            Show system drives
          </label>
        </div>
      </div>
      {drivesError && <p className="field-error" role="alert">{drivesError}</p>}
      {drives.length === 0 ? (
        <div className="empty-inline">
          <HardDrive size={22} aria-hidden />
          <p>No SD card inserted. Insert one in a reader on this computer: it appears here within a second.</p>
        </div>
      ) : (
        <ul className="drive-list" aria-label="Drives">
          {drives.map((d) => {
            const selectable = isSelectable(d, showSystem);
            return (
              <li key={d.device} className={`drive${selected.includes(d.device) ? ' selected' : ''}${selectable ? '' : ' blocked'}`}>
                <label>
                  <input type="checkbox" checked={selected.includes(d.device)} disabled={disabled || !selectable} onChange={() => toggle(d.device)} aria-describedby={`verdicts-${d.device}`} />
                  <span className="drive-main">
                    <span className="drive-name">{d.description}</span>
                    <span className="muted mono">{d.device}{d.isLoop ? ' · virtual' : ''}{d.isRemovable ? ' · removable' : ''}</span>
                  </span>
                  <span className="drive-size">{d.size === null ? '—' : formatBytes(d.size)}</span>
                </label>
                {d.verdicts.length > 0 && (
                  <ul id={`verdicts-${d.device}`} className="verdicts">
                    {d.verdicts.map((v) => (
                      <li key={v.code} className={`verdict verdict-${v.level}`}>{v.message}</li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
