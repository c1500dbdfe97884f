// Temperature and volts over time (uPlot, one axis each), with the throttle
// state painted behind the lines: red where the board was short of power, an
// amber strip where it was throttled or capped, and a tick on the time axis for
// each event (alerts raised, kernel under-voltage lines).
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoryEventView, MetricPoint } from '../../../../shared/power';
import { THROTTLE_BITS } from '../../../../shared/throttle';

const HEIGHT = 260;
const UNDER_VOLTAGE = THROTTLE_BITS.underVoltageNow;
const THROTTLED = THROTTLE_BITS.throttledNow | THROTTLE_BITS.freqCappedNow | THROTTLE_BITS.softTempLimitNow;

interface Palette {
  text: string;
  grid: string;
  temp: string;
  core: string;
  input: string;
  bad: string;
  badBg: string;
  warn: string;
  warnBg: string;
  busy: string;
}

/** Canvas cannot read CSS variables, so the theme's tokens are resolved once per theme. */
function palette(): Palette {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { text: v('--text-muted'), grid: v('--border'), temp: v('--warn'), core: v('--busy'), input: v('--pending'), bad: v('--bad'), badBg: v('--bad-bg'), warn: v('--warn'), warnBg: v('--warn-bg'), busy: v('--busy') };
}

/** The theme in use, so the chart is rebuilt in the new colours when it changes. */
function useThemeName(): string | undefined {
  const [theme, setTheme] = useState(document.documentElement.dataset.theme);
  useEffect(() => {
    const o = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    o.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => o.disconnect();
  }, []);
  return theme;
}

export interface ChartInput {
  points: MetricPoint[];
  events: HistoryEventView[];
  /** The range asked for (ms); the axis starts at the first point when the node was watched for less. */
  from: number;
  to: number;
}

export function PowerChart(props: ChartInput & { label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const input = useRef(props);
  input.current = props;
  const theme = useThemeName();
  const hasInput = props.points.some((p) => p.inputVolts !== null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = palette();
    const axis = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, font: '11px Inter Variable, system-ui, sans-serif' };
    const series: uPlot.Series[] = [
      {},
      { label: 'Temperature', scale: 'temp', stroke: c.temp, width: 2, spanGaps: false, value: (_u, v) => (v == null ? '—' : `${v.toFixed(1)} °C`) },
      { label: 'Core volts', scale: 'volts', stroke: c.core, width: 1.5, value: (_u, v) => (v == null ? '—' : `${v.toFixed(3)} V`) },
    ];
    const axes: uPlot.Axis[] = [
      { ...axis },
      { ...axis, scale: 'temp', label: '°C', size: 48, values: (_u, ticks) => ticks.map((t) => `${t}`) },
      { ...axis, scale: 'volts', side: 1, label: 'V (core)', size: 56, grid: { show: false }, values: (_u, ticks) => ticks.map((t) => t.toFixed(2)) },
    ];
    if (hasInput) {
      series.push({ label: 'Input volts', scale: 'input', stroke: c.input, width: 1.5, value: (_u, v) => (v == null ? '—' : `${v.toFixed(2)} V`) });
      axes.push({ ...axis, scale: 'input', side: 1, label: 'V (5 V in)', size: 56, grid: { show: false }, values: (_u, ticks) => ticks.map((t) => t.toFixed(2)) });
    }
    const opts: uPlot.Options = {
      width: Math.max(320, el.clientWidth),
      height: HEIGHT,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true, live: true },
      scales: {
        x: { time: true, range: () => xRange(input.current) },
        temp: { range: (_u, min, max) => padRange(min, max, 5) },
        volts: { range: (_u, min, max) => padRange(min, max, 0.05) },
        input: { range: (_u, min, max) => padRange(min, max, 0.1) },
      },
      series,
      axes,
      hooks: {
        drawClear: [(u) => drawThrottleBands(u, input.current.points, c)],
        draw: [(u) => drawEvents(u, input.current.events, c)],
      },
    };
    const u = new uPlot(opts, toData(props.points, hasInput), el);
    chart.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(320, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      chart.current = null;
    };
    // Rebuilt only when its shape or colours change; new data goes through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme, hasInput]);

  useEffect(() => {
    chart.current?.setData(toData(props.points, hasInput));
  }, [props.points, props.events, props.from, props.to, hasInput]);

  return <div className="power-chart" ref={host} role="img" aria-label={props.label} data-points={props.points.length} />;
}

function xRange(i: ChartInput): [number, number] {
  const first = i.points[0]?.at;
  const from = first !== undefined && first > i.from ? first : i.from;
  const to = Math.max(i.to, i.points.at(-1)?.at ?? 0);
  // At least a minute wide, so two early samples do not fill the whole width.
  return [Math.min(from, to - 60_000) / 1000, to / 1000];
}

function padRange(min: number | null, max: number | null, pad: number): [number, number] {
  if (min === null || max === null) return [0, 1];
  return [Math.floor((min - pad) * 100) / 100, Math.ceil((max + pad) * 100) / 100];
}

function toData(points: MetricPoint[], hasInput: boolean): uPlot.AlignedData {
  const xs = points.map((p) => p.at / 1000);
  const data: (number | null)[][] = [points.map((p) => p.tempC), points.map((p) => p.coreVolts)];
  if (hasInput) data.push(points.map((p) => p.inputVoltsMin ?? p.inputVolts));
  return [xs, ...data] as uPlot.AlignedData;
}

/** How long one point's state lasts on screen: its bucket, or until the next sample (capped, so a gap stays a gap). */
function spanEnd(points: MetricPoint[], i: number): number {
  const p = points[i]!;
  if (p.bucketMs > 0) return p.at + p.bucketMs;
  const next = points[i + 1]?.at;
  return next !== undefined && next - p.at < 5 * 60_000 ? next : p.at + 2_000;
}

function drawThrottleBands(u: uPlot, points: MetricPoint[], c: Palette): void {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  const strip = Math.round(8 * devicePixelRatio);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  for (let i = 0; i < points.length; i++) {
    const bits = points[i]!.throttled;
    if (!bits) continue;
    const x0 = u.valToPos(points[i]!.at / 1000, 'x', true);
    const x1 = Math.max(x0 + 1, u.valToPos(spanEnd(points, i) / 1000, 'x', true));
    if (bits & UNDER_VOLTAGE) {
      ctx.fillStyle = c.badBg;
      ctx.fillRect(x0, top, x1 - x0, height);
    }
    if (bits & THROTTLED) {
      ctx.fillStyle = c.warn;
      ctx.fillRect(x0, top + height - strip, x1 - x0, strip);
    }
  }
  ctx.restore();
}

function drawEvents(u: uPlot, events: HistoryEventView[], c: Palette): void {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  const size = 5 * devicePixelRatio;
  ctx.save();
  for (const e of events) {
    const x = u.valToPos(e.at / 1000, 'x', true);
    if (x < left || x > left + width) continue;
    const colour = e.severity === 'critical' ? c.bad : e.severity === 'warning' ? c.warn : c.busy;
    ctx.strokeStyle = colour;
    ctx.globalAlpha = 0.5;
    ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    // A triangle on the time axis marks it even where lines overlap.
    ctx.globalAlpha = 1;
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(x, top + height - size);
    ctx.lineTo(x - size, top + height + size);
    ctx.lineTo(x + size, top + height + size);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}
