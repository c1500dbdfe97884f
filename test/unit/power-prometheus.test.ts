import { afterEach, describe, expect, it } from 'vitest';
import { escapeLabelValue, PrometheusEndpoint, type MetricsNode } from '../../electron/services/power/prometheus-endpoint';
import type { NodeTelemetry } from '../../shared/telemetry';

const telemetry: NodeTelemetry = {
  at: 1, throttled: 0x50005, tempC: 61.3, coreVolts: 0.85, inputVolts: 4.82, lcritAlarm: true, load1: 0.5, load5: 0.4, load15: 0.3,
  memTotalKiB: 1000, memAvailableKiB: 250, diskTotalKiB: 2000, diskUsedKiB: 500, diskAvailableKiB: 1500, uptimeSeconds: 42, bootId: null, iface: null, mac: null, probeMs: 3,
};

let endpoint: PrometheusEndpoint | undefined;
afterEach(async () => endpoint?.stop());

describe('prometheus endpoint', () => {
  it('escapes label values as the format requires', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it('serves the fleet in the text exposition format over HTTP on loopback', async () => {
    const nodes: MetricsNode[] = [
      { name: 'node-01', supply: 'Anker "A"\\2', up: true, telemetry, alerts: [{ kind: 'under-voltage-now', severity: 'critical' }] },
      { name: 'node-02', up: false, alerts: [{ kind: 'offline', severity: 'warning' }] },
    ];
    endpoint = new PrometheusEndpoint({ port: 0, snapshot: () => nodes });
    const { url, port } = await endpoint.start();
    expect(url).toBe(`http://127.0.0.1:${port}/metrics`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await res.text();
    const lines = body.trimEnd().split('\n');
    const sup = 'supply="Anker \\"A\\"\\\\2"';
    expect(lines).toContain(`bramble_node_up{node="node-01",${sup}} 1`);
    expect(lines).toContain('bramble_node_up{node="node-02"} 0');
    expect(lines).toContain(`bramble_node_throttled{node="node-01",${sup},bit="under_voltage_now"} 1`);
    expect(lines).toContain(`bramble_node_throttled{node="node-01",${sup},bit="freq_capped_now"} 0`);
    expect(lines).toContain(`bramble_node_throttled{node="node-01",${sup},bit="throttled_since_boot"} 1`);
    expect(lines).toContain(`bramble_node_temperature_celsius{node="node-01",${sup}} 61.3`);
    expect(lines).toContain(`bramble_node_core_volts{node="node-01",${sup}} 0.85`);
    expect(lines).toContain(`bramble_node_input_volts{node="node-01",${sup}} 4.82`);
    expect(lines).toContain(`bramble_node_alert{node="node-01",${sup},alert="under-voltage-now",severity="critical"} 1`);
    expect(lines).toContain(`bramble_node_alert{node="node-01",${sup},alert="offline"} 0`);
    expect(lines).toContain('bramble_node_alert{node="node-02",alert="offline",severity="warning"} 1');
    // A node without telemetry has no made-up values.
    expect(lines.filter((l) => l.startsWith('bramble_node_temperature_celsius{node="node-02"'))).toEqual([]);
    // Every sample belongs to a family announced with HELP and TYPE.
    const families = new Set(lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
    for (const l of lines.filter((x) => !x.startsWith('#'))) expect(families.has(l.split(/[{ ]/)[0]!)).toBe(true);
    expect(lines.filter((l) => l.startsWith('# HELP ')).length).toBe(families.size);
    for (const l of lines.filter((x) => !x.startsWith('#'))) expect(l).toMatch(/^[a-z_][a-z0-9_]*(\{([a-z_]+="([^"\\\n]|\\[\\"n])*",?)*\})? [-+0-9.eE]+$/);

    expect((await fetch(url.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a port that is taken instead of pretending to serve', async () => {
    endpoint = new PrometheusEndpoint({ port: 0, snapshot: () => [] });
    const { port } = await endpoint.start();
    const second = new PrometheusEndpoint({ port, snapshot: () => [] });
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
  });
});
