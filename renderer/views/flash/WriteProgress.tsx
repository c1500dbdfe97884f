// Step 4: each card's progress (phase, percent, speed, time left), cancel, and
// the summary once every card is done or has failed with its reason.
import { CheckCircle2, XCircle } from 'lucide-react';
import type { FlashJob, TargetProgress } from '../../../shared/contract';
import { formatBytes } from '../../../shared/drives';
import { useState } from 'react';
import { bridge } from '../../bridge';
import { useFlash } from '../../store/flash';

const PHASE: Record<TargetProgress['phase'], string> = {
  starting: 'Preparing',
  writing: 'Writing',
  verifying: 'Verifying',
  done: 'Written and verified',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function WriteProgress() {
  const { job, cancel, reset } = useFlash();
  const [ejected, setEjected] = useState<string>();
  if (!job) return null;
  const running = job.state === 'running';
  const ok = job.targets.filter((t) => t.phase === 'done').length;
  return (
    <section className="panel" aria-labelledby="progress-heading">
      <div className="panel-head">
        <h2 id="progress-heading" className="panel-title"><span className="step-number">4</span> {running ? `Writing ${job.image.name}` : 'Summary'}</h2>
        {running ? (
          <button type="button" className="button danger" onClick={() => void cancel()}>Cancel</button>
        ) : (
          <div className="view-actions">
            {ok > 0 && (
              <button type="button" className="button" onClick={() => void ejectAll(job.targets.filter((t) => t.phase === 'done').map((t) => t.target)).then(setEjected)}>
                Eject cards
              </button>
            )}
            <button type="button" className="button primary" onClick={() => { setEjected(undefined); reset(); }}>Write more cards</button>
          </div>
        )}
      </div>
      {!running && (
        <p className={`summary summary-${job.state}`} role="status">
          {job.state === 'cancelled' ? 'Cancelled: the cards are incomplete and will not boot; write them again.' : `${ok} of ${job.targets.length} card${job.targets.length === 1 ? '' : 's'} written and verified${job.seconds !== undefined ? ` in ${job.seconds.toFixed(1)} s` : ''}.${writtenNote(job)}`}
          {job.error && ` ${job.error}`}
        </p>
      )}
      {ejected && <p className="muted" role="status">{ejected}</p>}
      <ul className="progress-list" aria-label="Write progress">
        {job.targets.map((t) => {
          const pct = t.phase === 'done' ? 100 : t.total > 0 ? Math.min(100, (t.bytes / t.total) * 100) : 0;
          return (
            <li key={t.target} className={`progress-row phase-${t.phase}`} data-target={t.target}>
              <div className="progress-label">
                <span className="mono">{t.target}{job.cards?.find((c) => c.target === t.target) && ` → ${job.cards.find((c) => c.target === t.target)!.hostname}`}</span>
                <span className="progress-phase">
                  {t.phase === 'done' && <CheckCircle2 size={15} aria-hidden />}
                  {t.phase === 'failed' && <XCircle size={15} aria-hidden />}
                  {PHASE[t.phase]}
                  {(t.phase === 'writing' || t.phase === 'verifying') && ` ${Math.floor(pct)}%`}
                </span>
              </div>
              <div className="bar" role="progressbar" aria-label={`${t.target} ${PHASE[t.phase]}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.floor(pct)}>
                <div className="bar-fill" style={{ width: `${pct}%` }} />
              </div>
              <div className="progress-meta muted">
                {t.error ? <span className="field-error">{t.error}</span> : running && t.speed > 0 ? `${formatBytes(t.speed)}/s${t.eta !== undefined ? ` · ${formatEta(t.eta)} left` : ''}` : ' '}
              </div>
              {job.cards?.find((c) => c.target === t.target)?.warnings?.map((w) => (
                <p key={w} className="card-warning" role="status">{w}</p>
              ))}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

async function ejectAll(devices: string[]): Promise<string> {
  const messages = await Promise.all(devices.map((device) => bridge.drives.eject({ device }).then((r) => r.message, (e: Error) => e.message)));
  return messages.join(' ');
}

/** Says how much of the image was written when free space was left out, so a quick write does not look like a short one. */
function writtenNote(job: FlashJob): string {
  const w = job.written;
  if (!w || job.state !== 'done' || w.bytes >= w.imageBytes) return '';
  return ` ${formatBytes(w.bytes)} of the image's ${formatBytes(w.imageBytes)} hold data; the free space was not written.`;
}

function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}
