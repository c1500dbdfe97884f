// The throttle flags as a small badge: nothing when all is well, amber for past
// trouble, red for under-voltage right now; the full sentence in the tooltip.
import { Zap } from 'lucide-react';
import { decodeThrottled } from '../../../shared/throttle';

export function ThrottleBadge({ throttled }: { throttled: number | null }) {
  if (throttled === null || throttled === 0) return null;
  const t = decodeThrottled(throttled);
  const now = t.flags.underVoltageNow || t.flags.freqCappedNow || t.flags.throttledNow || t.flags.softTempLimitNow;
  const label = t.flags.underVoltageNow ? 'Under-voltage' : now ? 'Throttled' : 'Throttled since boot';
  return (
    <span className={`throttle-badge throttle-${t.severity}${now ? ' now' : ''}`} title={`${t.summary} (${t.hex})`}>
      <Zap size={12} aria-hidden />
      {label}
      <span className="visually-hidden">: {t.summary}</span>
    </span>
  );
}
