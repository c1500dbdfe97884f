// The bell: how many power alerts want attention, and a panel listing every
// active one (acknowledged ones stay, dimmed, until the condition clears).
// Clicking an alert opens that node's Power tab. It is always mounted, so it
// also keeps the power store subscribed for the whole app.
import { Bell, BellRing, Check, Settings2, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { Alert } from '../../shared/power';
import { useApp } from '../store/app';
import { openNodePower, subscribePowerEvents, usePower } from '../store/power';
import { PowerSettings } from '../views/node/power/PowerSettings';
import { sinceText, useNow } from '../views/node/power/format';

export function AlertCentre() {
  const alerts = usePower((s) => s.alerts);
  const load = usePower((s) => s.load);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const off = subscribePowerEvents();
    void load();
    return off;
  }, [load]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [open]);

  const unacked = alerts.filter((a) => a.acknowledgedAt === null);
  const critical = unacked.some((a) => a.severity === 'critical');
  const tone = unacked.length === 0 ? 'quiet' : critical ? 'critical' : 'warning';
  return (
    <div className="alert-centre" ref={root}>
      <button
        type="button"
        className={`bell bell-${tone}`}
        aria-label={`Alerts: ${unacked.length} new, ${alerts.length} active`}
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen(!open)}
      >
        {unacked.length > 0 ? <BellRing size={17} aria-hidden /> : <Bell size={17} aria-hidden />}
        {alerts.length > 0 && <span className="bell-count" aria-hidden>{unacked.length || alerts.length}</span>}
      </button>
      {open && <AlertPanel alerts={alerts} onClose={() => setOpen(false)} />}
    </div>
  );
}

function AlertPanel({ alerts, onClose }: { alerts: Alert[]; onClose(): void }) {
  const [showSettings, setShowSettings] = useState(false);
  const error = usePower((s) => s.error);
  useNow();
  return (
    <section className="alert-panel" role="dialog" aria-label="Alerts">
      <header className="alert-panel-head">
        <h2>Power alerts</h2>
        <button type="button" className="icon-button" aria-label="Monitoring settings" aria-pressed={showSettings} title="Monitoring settings" onClick={() => setShowSettings(!showSettings)}>
          <Settings2 size={16} aria-hidden />
        </button>
        <button type="button" className="icon-button" aria-label="Close alerts" onClick={onClose}>
          <X size={16} aria-hidden />
        </button>
      </header>
      <NotificationOffer />
      {showSettings && <PowerSettings />}
      {error && <p className="field-error" role="alert">{error}</p>}
      {alerts.length === 0 ? (
        <p className="muted alert-empty">No active alerts: every node has enough power and is cool enough.</p>
      ) : (
        <ul className="alert-list" aria-label="Active alerts">
          {alerts.map((a) => (
            <AlertItem key={a.id} alert={a} showNode onOpen={onClose} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One alert: severity colour, node, what and since when; acknowledge without hiding it. */
export function AlertItem({ alert, showNode, onOpen }: { alert: Alert; showNode?: boolean; onOpen?(): void }) {
  const acknowledge = usePower((s) => s.acknowledge);
  const acked = alert.acknowledgedAt !== null;
  // Titles name the node already ("node-01: Under-voltage"); the list shows it once, in its own style.
  const title = alert.title.startsWith(`${alert.node}: `) ? alert.title.slice(alert.node.length + 2) : alert.title;
  return (
    <li className={`alert-item alert-${alert.severity}${acked ? ' acknowledged' : ''}`} data-node={alert.node} data-kind={alert.kind} data-severity={alert.severity}>
      <button
        type="button"
        className="alert-open"
        disabled={!showNode}
        onClick={() => {
          openNodePower(alert.node);
          onOpen?.();
        }}
      >
        <span className="alert-title">
          <span className="alert-dot" aria-hidden />
          {showNode && <span className="alert-node">{alert.node}</span>}
          {showNode ? title : alert.title}
          <span className="visually-hidden">, {alert.severity}</span>
        </span>
        <span className="alert-message">{alert.message}</span>
        <span className="alert-meta">
          since {sinceText(alert.raisedAt)}
          {alert.count > 1 && ` · reported ${alert.count} times`}
          {alert.supply && ` · supply ${alert.supply}`}
          {acked && ' · acknowledged'}
        </span>
      </button>
      {!acked && (
        <button type="button" className="button small" onClick={() => void acknowledge(alert.id)} aria-label={`Acknowledge ${alert.title} on ${alert.node}`}>
          <Check size={13} aria-hidden /> Acknowledge
        </button>
      )}
    </li>
  );
}

/** Browser notifications for the dev bridge (Electron shows native ones): asked for once, by the user. */
function NotificationOffer() {
  const transport = useApp((s) => s.info?.transport);
  const enabled = useApp((s) => s.settings?.notifications ?? false);
  const permission = usePower((s) => s.notificationPermission);
  const request = usePower((s) => s.requestNotifications);
  if (transport !== 'dev-bridge' || !enabled || permission === 'unsupported' || permission === 'granted') return null;
  if (permission === 'denied') return <p className="muted small">This browser blocks notifications for Bramble; alerts still show here.</p>;
  return (
    <button type="button" className="button small notify-offer" onClick={() => void request()}>
      <BellRing size={13} aria-hidden /> Show desktop notifications for new alerts
    </button>
  );
}
