// Flash: choose an image, choose cards, (first-boot settings come here), write.
import { useEffect } from 'react';
import { ViewHeader } from '../components/ViewHeader';
import { subscribeFlashEvents, useFlash } from '../store/flash';
import { ConfirmErase } from './flash/ConfirmErase';
import { BootSettingsForm } from './flash/BootSettingsForm';
import { DrivePicker } from './flash/DrivePicker';
import { ImagePicker } from './flash/ImagePicker';
import { WriteProgress } from './flash/WriteProgress';

export function FlashView() {
  const { image, selected, job, setConfirming, refreshDrives, startError } = useFlash();
  const running = job?.state === 'running';

  useEffect(() => {
    const off = subscribeFlashEvents();
    void refreshDrives();
    return off;
  }, [refreshDrives]);

  return (
    <div className="view">
      <ViewHeader title="Flash" subtitle="Write Raspberry Pi OS to one or several SD cards, verified, ready to boot headless." />
      <ImagePicker disabled={running} />
      <DrivePicker disabled={running} />
      <BootSettingsForm disabled={running} cards={selected} />
      {!job && (
        <div className="write-bar">
          <p className="muted">
            {!image ? 'Choose an image first.' : selected.length === 0 ? 'Tick the cards to write.' : `${selected.length} card${selected.length === 1 ? '' : 's'} will be erased and written, then verified.`}
          </p>
          <button type="button" className="button primary large" disabled={!image || selected.length === 0} onClick={() => setConfirming(true)}>
            Write {selected.length > 1 ? `${selected.length} cards` : 'card'}
          </button>
        </div>
      )}
      {startError && <p className="field-error" role="alert">{startError}</p>}
      <WriteProgress />
      <ConfirmErase />
    </div>
  );
}
