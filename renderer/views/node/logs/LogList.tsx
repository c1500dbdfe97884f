// The lines, virtualised: only the rows on screen exist in the DOM, so 100,000
// lines scroll as smoothly as 100. It follows the newest line while the user
// is at the bottom; scrolling up stops that, and "Jump to newest" resumes it.
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDownToLine, Zap } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { PRIORITY_NAMES, type LogEntry } from '../../../../shared/logs/log-entry';

const ROW_PX = 22;

export function LogList(props: { entries: LogEntry[]; onSeePower(): void; onJumpToNewest(): void; label: string }) {
  const { entries } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [stick, setStick] = useState(true);
  const v = useVirtualizer({ count: entries.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 30 });

  useLayoutEffect(() => {
    if (stick && entries.length > 0) v.scrollToIndex(entries.length - 1, { align: 'end' });
  }, [entries, stick, v]);

  // Reading up the log is the user's choice: stop following until they come back down.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => setStick(el.scrollHeight - el.scrollTop - el.clientHeight < ROW_PX * 2);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <div className="log-list-wrap">
      <div className="log-list" ref={scroller} role="log" aria-label={props.label} aria-live="off" tabIndex={0} data-lines={entries.length}>
        <div className="log-list-inner" style={{ height: v.getTotalSize() }}>
          {v.getVirtualItems().map((item) => (
            <LogRow key={item.key} entry={entries[item.index]!} top={item.start} onSeePower={props.onSeePower} />
          ))}
        </div>
      </div>
      {!stick && entries.length > 0 && (
        <button
          type="button"
          className="button small jump-newest"
          onClick={() => {
            setStick(true);
            props.onJumpToNewest();
            v.scrollToIndex(entries.length - 1, { align: 'end' });
          }}
        >
          <ArrowDownToLine size={13} aria-hidden /> Jump to newest
        </button>
      )}
    </div>
  );
}

function timeOf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function LogRow({ entry: e, top, onSeePower }: { entry: LogEntry; top: number; onSeePower(): void }) {
  const who = e.kernel ? 'kernel' : (e.identifier ?? e.unit ?? '');
  const [first, ...rest] = e.message.split('\n');
  const prio = e.priority === null ? undefined : PRIORITY_NAMES[e.priority];
  const cls = `log-row${e.power ? ` log-power power-${e.power}` : ''}${e.priority !== null && e.priority <= 3 ? ' log-error' : e.priority === 4 ? ' log-warning' : ''}`;
  return (
    <div className={cls} style={{ transform: `translateY(${top}px)` }} data-unit={e.unit ?? ''} data-power={e.power ?? ''} title={rest.length ? e.message : undefined}>
      <span className="log-time" title={new Date(e.at).toISOString()}>{timeOf(e.at)}</span>
      <span className={`log-prio prio-${e.priority ?? 'none'}`}>{prio ?? ''}</span>
      <span className="log-who" title={e.unit ?? who}>{who}</span>
      <span className="log-message">
        {first}
        {rest.length > 0 && <span className="muted"> …(+{rest.length} lines)</span>}
      </span>
      {e.power && (
        <button type="button" className="link-button log-see-power" onClick={onSeePower}>
          <Zap size={12} aria-hidden /> see power
        </button>
      )}
    </div>
  );
}
