// The node's power and heat right now, as cards: the throttle flags decoded
// (now and since boot side by side, as the firmware keeps them), temperature
// against the alert threshold, core volts, the 5 V input on a Pi 5, and the
// kernel's own under-voltage alarm where the board has one.
import { Activity, Gauge, PlugZap, ShieldAlert, Thermometer, Zap } from 'lucide-react';
import type { ReactNode } from 'react';
import type { NodeTelemetry } from '../../../../shared/telemetry';
import { decodeThrottled, type ThrottleFlag } from '../../../../shared/throttle';
import { ago } from './format';

type Tone = 'ok' | 'warning' | 'critical' | 'unknown';

const FLAG_ROWS: { label: string; now: ThrottleFlag; since: ThrottleFlag }[] = [
  { label: 'Under-voltage', now: 'underVoltageNow', since: 'underVoltageSinceBoot' },
  { label: 'Throttled', now: 'throttledNow', since: 'throttledSinceBoot' },
  { label: 'Frequency capped', now: 'freqCappedNow', since: 'freqCappedSinceBoot' },
  { label: 'Soft temperature limit', now: 'softTempLimitNow', since: 'softTempLimitSinceBoot' },
];

/** Below this the Pi 5's PMIC input is sagging towards the 4.63 V under-voltage trip. */
const LOW_INPUT_V = 4.8;

export function CurrentState({ telemetry, tempAlertC }: { telemetry: NodeTelemetry | undefined; tempAlertC: number }) {
  if (!telemetry) {
    return <p className="muted power-waiting">Waiting for the first reading from this node (it must be online)…</p>;
  }
  const t = telemetry;
  const tempTone: Tone = t.tempC === null ? 'unknown' : t.tempC >= tempAlertC ? 'critical' : t.tempC >= tempAlertC - 10 ? 'warning' : 'ok';
  return (
    <section className="power-cards" aria-label="Current state">
      <ThrottleCard throttled={t.throttled} />
      <MetricCard icon={<Thermometer size={16} aria-hidden />} label="Temperature" tone={tempTone} value={t.tempC === null ? '—' : `${t.tempC.toFixed(1)} °C`}>
        alert at {tempAlertC} °C
      </MetricCard>
      <MetricCard icon={<Gauge size={16} aria-hidden />} label="Core volts" tone={t.coreVolts === null ? 'unknown' : 'ok'} value={t.coreVolts === null ? '—' : `${t.coreVolts.toFixed(4)} V`}>
        SoC core supply
      </MetricCard>
      {t.inputVolts !== null && (
        <MetricCard icon={<PlugZap size={16} aria-hidden />} label="Input volts" tone={t.inputVolts < LOW_INPUT_V ? 'critical' : 'ok'} value={`${t.inputVolts.toFixed(2)} V`}>
          5 V input (EXT5V)
        </MetricCard>
      )}
      {t.lcritAlarm !== null && (
        <MetricCard icon={<ShieldAlert size={16} aria-hidden />} label="Kernel alarm" tone={t.lcritAlarm ? 'critical' : 'ok'} value={t.lcritAlarm ? 'Set' : 'Clear'}>
          rpi_volt in0_lcrit_alarm
        </MetricCard>
      )}
      <p className="muted small power-read-at">
        <Activity size={12} aria-hidden /> Read {ago(t.at)} ({t.probeMs} ms round trip)
      </p>
    </section>
  );
}

function ThrottleCard({ throttled }: { throttled: number | null }) {
  if (throttled === null) {
    return (
      <MetricCard icon={<Zap size={16} aria-hidden />} label="Power" tone="unknown" value="Unknown" wide>
        vcgencmd get_throttled does not answer on this node
      </MetricCard>
    );
  }
  const s = decodeThrottled(throttled);
  const anyNow = s.flags.underVoltageNow || s.flags.throttledNow || s.flags.freqCappedNow || s.flags.softTempLimitNow;
  const headline = s.flags.underVoltageNow ? 'Under-voltage now' : anyNow ? 'Throttled now' : s.active.length ? 'OK now, trouble since boot' : 'OK';
  return (
    <MetricCard icon={<Zap size={16} aria-hidden />} label="Power" tone={s.severity} value={headline} wide>
      <span className="throttle-summary">
        {s.summary} <span className="mono">({s.hex})</span>
      </span>
      <table className="flag-table">
        <thead>
          <tr>
            <th scope="col">Flag</th>
            <th scope="col">Now</th>
            <th scope="col">Since boot</th>
          </tr>
        </thead>
        <tbody>
          {FLAG_ROWS.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <FlagCell on={s.flags[r.now]} critical={r.now === 'underVoltageNow'} />
              <FlagCell on={s.flags[r.since]} />
            </tr>
          ))}
        </tbody>
      </table>
    </MetricCard>
  );
}

function FlagCell({ on, critical }: { on: boolean; critical?: boolean }) {
  return <td className={on ? (critical ? 'flag-on critical' : 'flag-on') : 'flag-off'}>{on ? 'yes' : 'no'}</td>;
}

function MetricCard(props: { icon: ReactNode; label: string; value: string; tone: Tone; wide?: boolean; children?: ReactNode }) {
  return (
    <div className={`power-card tone-${props.tone}${props.wide ? ' wide' : ''}`} data-card={props.label}>
      <span className="power-card-label">
        {props.icon}
        {props.label}
      </span>
      <span className="power-card-value">{props.value}</span>
      {props.children && <span className="power-card-note">{props.children}</span>}
    </div>
  );
}
