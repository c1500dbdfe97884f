// Every node's under-voltage and throttle episodes on one time axis, rows
// grouped by the supply that feeds them, with what Bramble concludes spelled
// out above: boards that sag together point at their shared charger, not at
// the network or the cards. Plain divs: 64 rows of bars need no chart library.
import { AlertTriangle, RefreshCw, Zap } from 'lucide-react';
import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import type { PowerEpisode } from '../../../shared/power';
import { TIMELINE_RANGES, openNodePower, usePower, type TimelineRange } from '../../store/power';
import { clockTime } from '../node/power/format';

/** Fresh enough for "the moment it happens" without hammering the history store. */
const REFRESH_MS = 3_000;

const useTimelineRange = create<{ range: TimelineRange; set(r: TimelineRange): void }>()((set) => ({ range: '1h', set: (range) => set({ range }) }));

export function PowerTimeline() {
  const timeline = usePower((s) => s.timeline);
  const error = usePower((s) => s.timelineError);
  const loadTimeline = usePower((s) => s.loadTimeline);
  const alertCount = usePower((s) => s.alerts.length);
  const { range, set: setRange } = useTimelineRange();

  useEffect(() => {
    void loadTimeline(range);
    const t = setInterval(() => void loadTimeline(range), REFRESH_MS);
    return () => clearInterval(t);
  }, [range, loadTimeline, alertCount]);

  const shown = timeline?.range === range ? timeline : undefined;
  const byNode = useMemo(() => {
    const m = new Map<string, PowerEpisode[]>();
    for (const e of shown?.episodes ?? []) m.set(e.node, [...(m.get(e.node) ?? []), e]);
    return m;
  }, [shown]);

  return (
    <section className="panel power-timeline" aria-labelledby="power-timeline-heading">
      <div className="panel-head">
        <h2 id="power-timeline-heading" className="panel-title">
          <Zap size={16} aria-hidden /> Power timeline
        </h2>
        <div className="panel-actions">
          <div className="segmented text" role="radiogroup" aria-label="Timeline range">
            {TIMELINE_RANGES.map((r) => (
              <button key={r.id} type="button" role="radio" aria-checked={range === r.id} onClick={() => setRange(r.id)}>
                {r.label}
              </button>
            ))}
          </div>
          <button type="button" className="icon-button" aria-label="Reload timeline" title="Reload timeline" onClick={() => void loadTimeline(range)}>
            <RefreshCw size={15} aria-hidden />
          </button>
        </div>
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
      {shown && (
        <>
          <Findings findings={shown.findings.map((f) => ({ key: `${f.supply}-${f.node ?? ''}`, message: f.message, verdict: f.verdict }))} episodes={shown.episodes.length} />
          <div className="timeline-grid" role="table" aria-label="Power episodes by node">
            <Axis from={shown.from} to={shown.to} />
            {shown.groups.map((g) => (
              <div key={g.supply ?? '\0none'} className="timeline-group" role="rowgroup" data-supply={g.supply ?? ''}>
                <div className="timeline-group-label" role="row">
                  <span role="rowheader">{g.supply === null ? 'No supply group' : `Supply ${g.supply}`}</span>
                  <span className="muted small">{g.nodes.length} {g.nodes.length === 1 ? 'node' : 'nodes'}</span>
                </div>
                {g.nodes.map((n) => (
                  <NodeRow key={n} node={n} episodes={byNode.get(n) ?? []} from={shown.from} to={shown.to} />
                ))}
              </div>
            ))}
          </div>
          <p className="chart-key muted small" aria-label="Timeline key">
            <span className="key key-uv" aria-hidden /> under-voltage
            <span className="key key-throttle" aria-hidden /> throttled
            <span className="key key-kernel" aria-hidden /> kernel log line
          </p>
        </>
      )}
    </section>
  );
}

function Findings({ findings, episodes }: { findings: { key: string; message: string; verdict: string }[]; episodes: number }) {
  if (findings.length === 0) {
    return (
      <p className="muted timeline-verdict" role="status">
        {episodes === 0 ? 'No under-voltage or throttling in this range.' : 'No pattern across nodes that share a supply in this range.'}
      </p>
    );
  }
  return (
    <ul className="findings" aria-label="Findings">
      {findings.map((f) => (
        <li key={f.key} className={`finding finding-${f.verdict}`}>
          <AlertTriangle size={15} aria-hidden />
          <span>{f.message}</span>
        </li>
      ))}
    </ul>
  );
}

/** Tick spacings that read well on a clock: one is picked so about six fit. */
const STEPS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720];

function Axis({ from, to }: { from: number; to: number }) {
  const step = (STEPS_MIN.find((m) => (to - from) / (m * 60_000) <= 7) ?? 1440) * 60_000;
  // Aligned to the local clock (10:00, 10:10…), not to whenever the range happened to start.
  const offset = new Date(from).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil((from - offset) / step) * step + offset; t <= to; t += step) ticks.push(t);
  return (
    <div className="timeline-row timeline-axis" role="row" aria-hidden>
      <span className="timeline-name" />
      <div className="timeline-track">
        {ticks.map((t) => (
          <span key={t} className="timeline-tick" style={{ left: `${((t - from) / (to - from)) * 100}%` }}>
            {clockTime(t, false)}
          </span>
        ))}
      </div>
    </div>
  );
}

function NodeRow({ node, episodes, from, to }: { node: string; episodes: PowerEpisode[]; from: number; to: number }) {
  const span = to - from;
  const pct = (t: number) => Math.min(100, Math.max(0, ((t - from) / span) * 100));
  const uv = episodes.filter((e) => e.kind === 'under-voltage').length;
  return (
    <div className="timeline-row" role="row" data-node={node}>
      <span className="timeline-name" role="rowheader">
        <button type="button" className="link-button plain" title={`Open ${node}'s Power tab`} onClick={() => openNodePower(node)}>
          {node}
        </button>
      </span>
      <div className="timeline-track" role="cell" aria-label={episodes.length ? `${episodes.length} episodes (${uv} under-voltage)` : 'no episodes'}>
        {episodes.map((e) => {
          const start = pct(e.start);
          const end = pct(e.end ?? to);
          return (
            <span
              key={e.id}
              className={`episode episode-${e.kind} source-${e.source}${e.end === null ? ' ongoing' : ''}`}
              data-kind={e.kind}
              style={{ left: `${start}%`, width: `${Math.max(0, end - start)}%` }}
              title={`${e.kind === 'under-voltage' ? 'Under-voltage' : 'Throttled'} ${clockTime(e.start)}${e.end === null ? ', still going' : e.end === e.start ? '' : `–${clockTime(e.end)}`} (${e.source === 'kernel' ? 'kernel log' : 'get_throttled'})${e.detail ? `: ${e.detail}` : ''}`}
            />
          );
        })}
      </div>
    </div>
  );
}
