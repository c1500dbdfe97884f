// Power: the node's state right now, its active alerts, and its history over a
// chosen range, drawn live from the samples that keep arriving while it is open.
import { RefreshCw } from 'lucide-react';
import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import { AlertItem } from '../../components/AlertCentre';
import { useApp } from '../../store/app';
import { HISTORY_RANGES, usePower, type HistoryRange } from '../../store/power';
import { CurrentState } from './power/CurrentState';
import { EventList } from './power/EventList';
import { PowerChart } from './power/PowerChart';

/** The range survives switching tabs and nodes, like a Grafana dashboard's. */
const useRange = create<{ range: HistoryRange; set(range: HistoryRange): void }>()((set) => ({ range: '1h', set: (range) => set({ range }) }));

export function PowerTab({ node }: { node: string }) {
  const telemetry = usePower((s) => s.latest[node]);
  const allAlerts = usePower((s) => s.alerts);
  const history = usePower((s) => s.history);
  const loadHistory = usePower((s) => s.loadHistory);
  const closeHistory = usePower((s) => s.closeHistory);
  const tempAlertC = useApp((s) => s.settings?.temperatureAlertC ?? 80);
  const { range, set: setRange } = useRange();
  const alerts = useMemo(() => allAlerts.filter((a) => a.node === node), [allAlerts, node]);

  useEffect(() => {
    void loadHistory(node, range);
  }, [node, range, loadHistory]);
  useEffect(() => closeHistory, [closeHistory]);

  const h = history?.node === node ? history : undefined;
  return (
    <div className="power-tab">
      <CurrentState telemetry={telemetry} tempAlertC={tempAlertC} />
      {alerts.length > 0 && (
        <section className="panel" aria-labelledby="node-alerts-heading">
          <h2 id="node-alerts-heading" className="panel-title">Active alerts</h2>
          <ul className="alert-list inline" aria-label={`Alerts for ${node}`}>
            {alerts.map((a) => (
              <AlertItem key={a.id} alert={a} />
            ))}
          </ul>
        </section>
      )}
      <section className="panel" aria-labelledby="power-history-heading">
        <div className="panel-head">
          <h2 id="power-history-heading" className="panel-title">History</h2>
          <div className="panel-actions">
            <div className="segmented text" role="radiogroup" aria-label="Time range">
              {HISTORY_RANGES.map((r) => (
                <button key={r.id} type="button" role="radio" aria-checked={range === r.id} onClick={() => setRange(r.id)}>
                  {r.label}
                </button>
              ))}
            </div>
            <button type="button" className="icon-button" aria-label="Reload history" title="Reload history" onClick={() => void loadHistory(node, range)}>
              <RefreshCw size={15} aria-hidden className={h?.loading ? 'spin' : undefined} />
            </button>
          </div>
        </div>
        {h?.error && <p className="field-error" role="alert">{h.error}</p>}
        {h && (
          <>
            <PowerChart label={`Temperature and volts of ${node}`} points={h.points} events={h.events} from={h.from} to={Date.now()} />
            <ChartLegend />
            {!h.loading && h.points.length === 0 && <p className="muted">No readings in this range yet: they start once the node is online.</p>}
            <EventList events={h.events} />
          </>
        )}
      </section>
    </div>
  );
}

function ChartLegend() {
  return (
    <p className="chart-key muted small" aria-label="Chart key">
      <span className="key key-uv" aria-hidden /> under-voltage
      <span className="key key-throttle" aria-hidden /> throttled or capped
      <span className="key key-event" aria-hidden /> event (alert, kernel line)
    </p>
  );
}
