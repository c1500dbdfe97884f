// `bramble power`: every node's throttle state, temperature, volts and active
// alerts, read now over SSH.
import { decodeThrottled } from '../../../shared/throttle';
import { createServices } from '../../services';
import type { Command } from '../command';
import { connectSelected } from '../one-node';

export const powerCommand: Command = {
  name: 'power',
  summary: 'Show each node\'s throttle state, temperature, volts and alerts (exit 1 on under-voltage now)',
  usage: 'bramble power [--group G] [--json]',
  options: { group: { type: 'string' } },
  async run(ctx, values) {
    const services = createServices({ dataDir: ctx.dataDir, transport: 'electron' });
    try {
      const { names, states } = await connectSelected(services, { group: values.group as string | undefined });
      for (const s of states) services.power.monitor.setNodeStatus(s.name, s.status, s.detail);
      await services.power.pollOnce();
      const nodes = services.power.overview().filter((n) => names.includes(n.name));
      const report = nodes.map((n) => ({ ...n, status: states.find((s) => s.name === n.name)?.status, throttle: n.telemetry?.throttled != null ? decodeThrottled(n.telemetry.throttled) : null }));
      ctx.print({ nodes: report }, () => powerTable(report));
      return report.some((n) => n.throttle?.flags.underVoltageNow) ? 1 : 0;
    } finally {
      await services.dispose();
    }
  },
};

function powerTable(nodes: { name: string; supply?: string; status?: string; telemetry?: { tempC: number | null; coreVolts: number | null; inputVolts: number | null }; throttle: ReturnType<typeof decodeThrottled> | null; alerts: { severity: string; title: string }[] }[]): string {
  if (nodes.length === 0) return 'The fleet is empty.';
  const rows = nodes.map((n) => [
    n.name,
    n.supply ?? '',
    n.telemetry ? (n.throttle ? `${n.throttle.hex} ${n.throttle.summary}` : 'no vcgencmd') : (n.status ?? 'no sample'),
    n.telemetry?.tempC != null ? `${n.telemetry.tempC.toFixed(1)}°C` : '',
    n.telemetry?.coreVolts != null ? `${n.telemetry.coreVolts.toFixed(3)} V` : '',
    n.telemetry?.inputVolts != null ? `${n.telemetry.inputVolts.toFixed(2)} V` : '',
    n.alerts.map((a) => `${a.severity}: ${a.title}`).join('; '),
  ]);
  const head = ['NODE', 'SUPPLY', 'THROTTLE', 'TEMP', 'CORE', 'INPUT', 'ALERTS'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
