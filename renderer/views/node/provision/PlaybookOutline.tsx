// What the chosen playbook will do, play by play, before anything runs.
import type { PlaybookInfo } from '../../../../shared/provision';

export function PlaybookOutline({ info }: { info: PlaybookInfo }) {
  return (
    <div className="playbook-outline" aria-label={`What ${info.title} does`} role="region">
      {info.source === 'file' && <p className="muted small mono">{info.path}</p>}
      {info.plays.map((play, i) => (
        <div key={i} className="outline-play">
          <p className="outline-play-name">
            {play.name || `Play ${i + 1}`} <span className="muted small">on {play.hosts}</span>
          </p>
          <ol className="outline-tasks">
            {play.tasks.map((t, j) => (
              <li key={j}>{t}</li>
            ))}
          </ol>
        </div>
      ))}
    </div>
  );
}
