// The events behind the chart's ticks, newest first, in words: what the chart
// marks with a triangle, a screen reader (or a curious user) can read here.
import { useState } from 'react';
import type { HistoryEventView } from '../../../../shared/power';
import { sinceText } from './format';

const SHOWN = 8;

export function EventList({ events }: { events: HistoryEventView[] }) {
  const [all, setAll] = useState(false);
  if (events.length === 0) return null;
  const newest = [...events].sort((a, b) => b.at - a.at);
  const shown = all ? newest : newest.slice(0, SHOWN);
  return (
    <details className="event-list">
      <summary>
        {events.length} {events.length === 1 ? 'event' : 'events'} in this range
      </summary>
      <ul>
        {shown.map((e, i) => (
          <li key={`${e.at}-${i}`} className={`event-${e.severity ?? 'info'}`}>
            <span className="event-when">{sinceText(e.at)}</span>
            <span className="event-kind">{e.kind}</span>
            <span className="event-message">{e.message}</span>
          </li>
        ))}
      </ul>
      {newest.length > SHOWN && (
        <button type="button" className="link-button small" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${newest.length}`}
        </button>
      )}
    </details>
  );
}
