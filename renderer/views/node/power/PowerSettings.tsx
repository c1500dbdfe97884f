// Monitoring settings for the whole fleet: how often nodes are read, when heat
// becomes an alert, desktop notifications, and the opt-in Prometheus endpoint.
// Each field saves on its own (on change or when the field is left), so there
// is no Save button to forget.
import { useEffect, useState } from 'react';
import type { Settings } from '../../../../shared/contract';
import { bridge } from '../../../bridge';
import { useApp } from '../../../store/app';

type Patch = Parameters<typeof bridge.settings.update>[0];

export function PowerSettings() {
  const settings = useApp((s) => s.settings);
  const [error, setError] = useState<string>();
  if (!settings) return <p className="muted">Loading settings…</p>;

  const save = async (patch: Patch) => {
    setError(undefined);
    // Shown at once, so a box ticks when clicked and a second change builds on the first.
    useApp.setState((s) => ({ settings: { ...(s.settings ?? settings), ...patch } as Settings }));
    try {
      useApp.setState({ settings: await bridge.settings.update(patch) });
    } catch (e) {
      setError((e as Error).message);
      useApp.setState({ settings: await bridge.settings.get({}).catch(() => settings) });
    }
  };

  return (
    <form className="power-settings" aria-label="Power monitoring settings" onSubmit={(e) => e.preventDefault()}>
      <NumberField
        label="Read each node every"
        unit="s"
        value={settings.telemetryIntervalSeconds}
        min={1}
        max={300}
        onCommit={(v) => void save({ telemetryIntervalSeconds: v })}
      />
      <NumberField label="Alert when hotter than" unit="°C" value={settings.temperatureAlertC} min={40} max={110} onCommit={(v) => void save({ temperatureAlertC: v })} />
      <label className="toggle">
        <input type="checkbox" checked={settings.notifications} onChange={(e) => void save({ notifications: e.target.checked })} />
        Desktop notifications for new alerts
      </label>
      <PrometheusField settings={settings} onSave={(p) => void save({ prometheus: p })} />
      {error && <p className="field-error" role="alert">{error}</p>}
    </form>
  );
}

function PrometheusField({ settings, onSave }: { settings: Settings; onSave(p: Settings['prometheus']): void }) {
  const { enabled, port } = settings.prometheus;
  return (
    <div className="prometheus-field">
      <label className="toggle">
        <input type="checkbox" checked={enabled} onChange={(e) => onSave({ enabled: e.target.checked, port })} />
        Prometheus metrics endpoint
      </label>
      <NumberField label="Port" value={port} min={1024} max={65535} onCommit={(v) => onSave({ enabled, port: v })} />
      {enabled && (
        <p className="muted small">
          Scrape <span className="mono">{`http://127.0.0.1:${port}/metrics`}</span> (this computer only).
        </p>
      )}
    </div>
  );
}

/** A number input that saves when left or on Enter, and only a valid value. */
function NumberField(props: { label: string; unit?: string; value: number; min: number; max: number; onCommit(v: number): void }) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isInteger(n) && n >= props.min && n <= props.max;
  const commit = () => {
    if (valid && n !== props.value) props.onCommit(n);
  };
  return (
    <label className="inline-field">
      {props.label}
      <input
        className="text-input compact ui-font"
        inputMode="numeric"
        value={text}
        aria-invalid={!valid}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      {props.unit}
      {!valid && <span className="field-error small">{`${props.min}–${props.max}`}</span>}
    </label>
  );
}
