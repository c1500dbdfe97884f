// Opt-in /metrics for a user's own Prometheus or Grafana: the fleet's health
// in the text exposition format, served on loopback only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { THROTTLE_BITS, THROTTLE_FLAGS, THROTTLE_METRIC_NAMES } from '../../../shared/throttle';
import type { AlertKind, AlertSeverity } from '../../../shared/power';
import type { NodeTelemetry } from '../../../shared/telemetry';

export interface MetricsNode {
  name: string;
  supply?: string;
  up: boolean;
  /** The latest sample; omitted metrics when there is none (or a value is null). */
  telemetry?: NodeTelemetry;
  alerts: { kind: AlertKind; severity: AlertSeverity }[];
}

export const ALERT_KINDS: AlertKind[] = ['under-voltage-now', 'under-voltage-since-boot', 'under-voltage-logged', 'throttled-now', 'over-temperature', 'offline'];

/** Label values: backslash, double quote and newline escaped, as the format requires. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labels(l: Record<string, string | undefined>): string {
  const parts = Object.entries(l)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function renderExposition(nodes: readonly MetricsNode[]): string {
  const out: string[] = [];
  const family = (name: string, help: string, rows: [Record<string, string | undefined>, number | null | undefined][]) => {
    out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} gauge`);
    for (const [l, v] of rows) if (v !== null && v !== undefined) out.push(`${name}${labels(l)} ${num(v)}`);
  };
  const id = (n: MetricsNode) => ({ node: n.name, supply: n.supply });
  const t = (n: MetricsNode) => n.telemetry;

  family('bramble_node_up', 'Whether Bramble has a working SSH connection to the node (1) or not (0).', nodes.map((n) => [id(n), n.up ? 1 : 0]));
  family(
    'bramble_node_throttled',
    'One get_throttled bit (0 or 1), named by the bit label.',
    nodes.flatMap((n) => {
      const raw = t(n)?.throttled;
      return THROTTLE_FLAGS.map((f): [Record<string, string | undefined>, number | null | undefined] => [{ ...id(n), bit: THROTTLE_METRIC_NAMES[f] }, raw === null || raw === undefined ? null : (raw & THROTTLE_BITS[f]) !== 0 ? 1 : 0]);
    }),
  );
  family('bramble_node_throttled_raw', 'The get_throttled value as a number.', nodes.map((n) => [id(n), t(n)?.throttled]));
  family('bramble_node_temperature_celsius', 'SoC temperature (vcgencmd measure_temp).', nodes.map((n) => [id(n), t(n)?.tempC]));
  family('bramble_node_core_volts', 'Core voltage (vcgencmd measure_volts core).', nodes.map((n) => [id(n), t(n)?.coreVolts]));
  family('bramble_node_input_volts', 'Board 5 V input (Pi 5 PMIC EXT5V_V).', nodes.map((n) => [id(n), t(n)?.inputVolts]));
  family('bramble_node_hwmon_in_lcrit_alarm', 'rpi_volt hwmon in0_lcrit_alarm: the kernel under-voltage flag.', nodes.map((n) => [id(n), t(n)?.lcritAlarm === null || t(n)?.lcritAlarm === undefined ? null : t(n)!.lcritAlarm ? 1 : 0]));
  family('bramble_node_load1', 'One-minute load average.', nodes.map((n) => [id(n), t(n)?.load1]));
  family('bramble_node_memory_available_bytes', 'MemAvailable.', nodes.map((n) => [id(n), t(n)?.memAvailableKiB == null ? null : t(n)!.memAvailableKiB! * 1024]));
  family('bramble_node_memory_total_bytes', 'MemTotal.', nodes.map((n) => [id(n), t(n)?.memTotalKiB == null ? null : t(n)!.memTotalKiB! * 1024]));
  family('bramble_node_root_fs_used_bytes', 'Space used on /.', nodes.map((n) => [id(n), t(n)?.diskUsedKiB == null ? null : t(n)!.diskUsedKiB! * 1024]));
  family('bramble_node_root_fs_size_bytes', 'Size of /.', nodes.map((n) => [id(n), t(n)?.diskTotalKiB == null ? null : t(n)!.diskTotalKiB! * 1024]));
  family('bramble_node_uptime_seconds', 'Seconds since the node booted.', nodes.map((n) => [id(n), t(n)?.uptimeSeconds]));
  family(
    'bramble_node_alert',
    'Whether an alert of this kind is active on the node (1) or not (0).',
    nodes.flatMap((n) =>
      ALERT_KINDS.map((k): [Record<string, string | undefined>, number] => {
        const a = n.alerts.find((x) => x.kind === k);
        return [{ ...id(n), alert: k, severity: a?.severity }, a ? 1 : 0];
      }),
    ),
  );
  return out.join('\n') + '\n';
}

export interface PrometheusEndpointOptions {
  /** Default 9877; 0 picks a free port. */
  port?: number;
  /** Loopback only unless the user changes it on purpose. */
  host?: string;
  snapshot(): MetricsNode[];
}

export class PrometheusEndpoint {
  private server: http.Server | undefined;

  constructor(private readonly o: PrometheusEndpointOptions) {}

  /** Resolves with the URL once listening (rejects if the port is taken). */
  async start(): Promise<{ port: number; url: string }> {
    if (this.server) return this.address();
    const server = http.createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
        return;
      }
      if (url !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Bramble serves /metrics\n');
        return;
      }
      let body: string;
      try {
        body = renderExposition(this.o.snapshot());
      } catch (e) {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(e as Error).message}\n`);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port ?? 9877, this.o.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return this.address();
  }

  private address(): { port: number; url: string } {
    const a = this.server!.address() as AddressInfo;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return { port: a.port, url: `http://${host}:${a.port}/metrics` };
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
