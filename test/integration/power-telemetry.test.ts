// Power and health on a fake fleet of real sshd nodes: throttle bits become
// alerts within a poll, clear when they end, a kernel line alone raises an
// event, nodes of one supply sagging together are named, and the history
// survives closing the store.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until';
import type { Alert } from '../../shared/power';
import { openHistoryStore, type SqliteHistoryStore } from '../../electron/services/power/history-store';
import { PowerMonitor } from '../../electron/services/power/power-monitor';
import { PrometheusEndpoint } from '../../electron/services/power/prometheus-endpoint';
import type { TelemetryFailure } from '../../electron/services/power/telemetry-poller';
import type { TelemetrySample } from '../../shared/telemetry';
import { clientExec, type RemoteExec } from '../../electron/services/ssh/remote-exec';
import { startFleet, type FakeNode, type Fleet } from '../fleet/fleet.js';

const INTERVAL = 500;
let fleet: Fleet;
let dir: string;
let store: SqliteHistoryStore;
let monitor: PowerMonitor;
const execs = new Map<string, RemoteExec>();
const clients: ssh2.Client[] = [];
const notified: string[] = [];
const samples: TelemetrySample[] = [];
const failures: TelemetryFailure[] = [];
const supplies: Record<string, string> = { 'node-01': 'A', 'node-02': 'A', 'node-03': 'A', 'node-04': 'B' };

function connect(n: FakeNode): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    clients.push(c);
    const exec = clientExec(c);
    c.on('error', (e) => reject(e));
    c.on('ready', () => {
      execs.set(n.name, exec);
      resolve();
    });
    // Offline for the poller once this connection is gone (unless a newer one replaced it).
    c.on('close', () => {
      if (execs.get(n.name) === exec) execs.delete(n.name);
    });
    c.connect(n.connectConfig(fleet.clientPrivateKey));
  });
}


const active = (node: string) => monitor.rules.alertsFor(node).map((a) => `${a.kind}/${a.severity}`).sort();
const samplesOf = (node: string, after: number) => samples.filter((s) => s.node === node && s.telemetry.at - s.telemetry.probeMs >= after);

beforeAll(async () => {
  fleet = await startFleet({ nodes: 4, model: 'pi5' });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-power-'));
  for (const n of fleet.nodes) await connect(n);
  store = openHistoryStore(path.join(dir, 'history.sqlite'));
  monitor = new PowerMonitor({
    nodes: () => fleet.nodes.map((n) => ({ name: n.name, supply: supplies[n.name] })),
    execFor: (name) => execs.get(name),
    intervalMs: INTERVAL,
    kernelSyncMs: 300,
    history: store,
    notify: (ev, a) => notified.push(`${ev}:${a.node}:${a.kind}`),
  });
  monitor.on('sample', (s) => samples.push(s));
  monitor.on('failure', (f) => failures.push(f));
  monitor.start();
  await until('a first sample from every node', () => fleet.nodes.every((n) => monitor.poller.latest(n.name)), 10_000);
});

afterAll(async () => {
  monitor?.stop();
  store?.close();
  for (const c of clients) c.end();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('power telemetry on a fake fleet', () => {
  it('reads every value a Pi 5 reports in one probe', async () => {
    const n = fleet.node('node-02');
    await n.setTemp(55.5);
    await n.setVolts(0.8612);
    await n.setExt5V(4.87);
    const changed = Date.now();
    const s = await until('a sample with the new values', () => samplesOf('node-02', changed).at(0), 5000);
    expect(s.supply).toBe('A');
    expect(s.telemetry).toMatchObject({ throttled: 0, tempC: 55.5, coreVolts: 0.8612, inputVolts: 4.87 });
    expect(s.telemetry.uptimeSeconds).toBeGreaterThan(0);
    expect(s.telemetry.memTotalKiB).toBeGreaterThan(0);
    expect(s.telemetry.diskTotalKiB).toBeGreaterThan(0);
  });

  it('0x50005 raises a critical alert within one poll; 0x50000 turns it into "since boot"; 0x0 clears it', async () => {
    const n = fleet.node('node-01');
    const raised: Alert[] = [];
    monitor.on('alert-raised', (a) => raised.push(a));

    await n.setThrottled(0x50005);
    const changed = Date.now();
    const alert = await until('the under-voltage alert', () => raised.find((a) => a.node === 'node-01' && a.kind === 'under-voltage-now'), 2 * INTERVAL + 3000);
    expect(alert.severity).toBe('critical');
    // The first probe that started after the change saw it.
    expect(samplesOf('node-01', changed).length).toBeLessThanOrEqual(1);
    expect(active('node-01')).toEqual(['throttled-now/warning', 'under-voltage-now/critical']);
    expect(notified).toContain('raised:node-01:under-voltage-now');

    // Seen by Prometheus too.
    const endpoint = new PrometheusEndpoint({ port: 0, snapshot: () => monitor.metricsSnapshot() });
    const { url } = await endpoint.start();
    try {
      const body = await (await fetch(url)).text();
      expect(body).toContain('bramble_node_throttled{node="node-01",supply="A",bit="under_voltage_now"} 1');
      expect(body).toContain('bramble_node_alert{node="node-01",supply="A",alert="under-voltage-now",severity="critical"} 1');
      expect(body).toContain('bramble_node_up{node="node-03",supply="A"} 1');
    } finally {
      await endpoint.stop();
    }

    // Acknowledged: still listed until the condition ends.
    monitor.rules.acknowledge(alert.id);
    await n.setThrottled(0x50000);
    await until('since-boot warning', () => active('node-01').join() === 'under-voltage-since-boot/warning', 2 * INTERVAL + 3000);

    await n.setThrottled(0x0);
    await until('all clear', () => active('node-01').length === 0, 2 * INTERVAL + 3000);
    expect(notified).toContain('cleared:node-01:under-voltage-since-boot');
  });

  it('three nodes of one supply sagging together are reported as a suspect supply', async () => {
    const from = Date.now();
    const group = ['node-01', 'node-02', 'node-03'].map((x) => fleet.node(x));
    await Promise.all(group.map((n) => n.setThrottled(0x50005)));
    await until('three open episodes', () => monitor.rules.openEpisodes().filter((e) => e.kind === 'under-voltage').length === 3, 2 * INTERVAL + 3000);
    await Promise.all(group.map((n) => n.setThrottled(0x0)));
    await until('episodes ended', () => monitor.rules.openEpisodes().length === 0, 2 * INTERVAL + 3000);

    const findings = monitor.supplyFindings(from);
    expect(findings.map((f) => f.message)).toEqual(['3 of 3 nodes on supply A reported under-voltage within 10 s of each other, once today: suspect supply A.']);
    // node-04 on supply B never sagged: no finding for it.
    expect(findings.some((f) => f.supply === 'B')).toBe(false);
  });

  it('a kernel log line alone raises an under-voltage event', async () => {
    const n = fleet.node('node-04');
    const before = monitor.watcher!.underVoltageCount('node-04');
    await n.appendKernel('hwmon hwmon1: Undervoltage detected!');
    await until('the logged under-voltage alert', () => active('node-04').includes('under-voltage-logged/critical'), 5000);
    expect(monitor.watcher!.underVoltageCount('node-04')).toBe(before + 1);
    // Its throttle bits said nothing.
    expect(monitor.poller.latest('node-04')!.telemetry.throttled).toBe(0);
    await n.appendKernel('Voltage normalised (0x00000000)');
    await until('cleared by the normalised line', () => !active('node-04').includes('under-voltage-logged/critical'), 5000);
  });

  it('a killed node fails its probe and, fed the status, raises offline', async () => {
    const n = fleet.node('node-04');
    await n.kill();
    await until('a lost probe or a closed connection', () => failures.some((f) => f.node === 'node-04') || !execs.has('node-04'), 5000);
    monitor.setNodeStatus('node-04', 'offline', 'connection lost');
    expect(active('node-04')).toContain('offline/warning');
    expect(monitor.metricsSnapshot().find((x) => x.name === 'node-04')!.up).toBe(false);
    await n.restart();
    await connect(n);
    monitor.setNodeStatus('node-04', 'online');
    expect(active('node-04')).not.toContain('offline/warning');
  });

  it('stream mode: one looping probe per node delivers samples at the interval and follows changes', async () => {
    const { TelemetryPoller } = await import('../../electron/services/power/telemetry-poller');
    const poller = new TelemetryPoller({ nodes: () => [{ name: 'node-03', supply: 'A' }], execFor: (n) => execs.get(n), intervalMs: 300, mode: 'stream', streamSamples: 4 });
    const got: TelemetrySample[] = [];
    poller.on('sample', (s) => got.push(s));
    poller.start();
    try {
      await until('three samples', () => got.length >= 3, 5000);
      await fleet.node('node-03').setThrottled(0x50005);
      const changed = Date.now();
      const s = await until('the change', () => got.find((x) => x.telemetry.at > changed && x.telemetry.throttled === 0x50005), 3000);
      expect(s.telemetry.at - changed).toBeLessThan(1500);
      // Recycled every 4 samples without a gap or a failure.
      await until('ten samples', () => got.length >= 10, 8000);
      const gaps = got.slice(1).map((x, i) => x.telemetry.at - got[i]!.telemetry.at);
      expect(Math.max(...gaps)).toBeLessThan(1500);
    } finally {
      poller.stop();
      await fleet.node('node-03').setThrottled(0);
    }
  });

  it('history survives closing and reopening the store', async () => {
    const t = Date.now();
    monitor.stop();
    store.close();
    const again = openHistoryStore(path.join(dir, 'history.sqlite'));
    try {
      const series = again.series('node-02', t - 120_000, t);
      expect(series.length).toBeGreaterThan(3);
      expect(series.some((p) => p.tempC === 55.5 && p.inputVolts === 4.87)).toBe(true);
      const events = again.events({ from: t - 120_000, to: t });
      expect(events.some((e) => e.node === 'node-01' && e.kind === 'alert-raised' && e.severity === 'critical')).toBe(true);
      expect(events.some((e) => e.node === 'node-01' && e.kind === 'alert-acknowledged')).toBe(true);
      expect(events.some((e) => e.node === 'node-04' && e.kind === 'kernel-line' && /Undervoltage detected!/.test(e.message))).toBe(true);
      const eps = again.episodes(t - 120_000, t);
      expect(new Set(eps.filter((e) => e.kind === 'under-voltage' && e.source === 'telemetry').map((e) => e.node))).toEqual(new Set(['node-01', 'node-02', 'node-03']));
      expect(eps.some((e) => e.node === 'node-04' && e.source === 'kernel')).toBe(true);
      expect(eps.every((e) => e.end !== null)).toBe(true);
    } finally {
      again.close();
    }
  });
});
