import { afterEach, describe, expect, it } from 'vitest';
import { AlertRules } from '../../electron/services/power/alert-rules';
import type { Alert, PowerEpisode } from '../../shared/power';
import type { NodeTelemetry, TelemetrySample } from '../../shared/telemetry';

function sample(node: string, at: number, t: Partial<NodeTelemetry>, supply?: string): TelemetrySample {
  const base: NodeTelemetry = {
    at, throttled: 0, tempC: 50, coreVolts: 0.85, inputVolts: null, lcritAlarm: null, load1: 0.1, load5: 0.1, load15: 0.1,
    memTotalKiB: 1000, memAvailableKiB: 500, diskTotalKiB: 100, diskUsedKiB: 10, diskAvailableKiB: 90, uptimeSeconds: 100,
    bootId: null, iface: null, mac: null, probeMs: 5,
  };
  return { node, ...(supply ? { supply } : {}), telemetry: { ...base, ...t } };
}

function record(rules: AlertRules) {
  const raised: Alert[] = [];
  const cleared: Alert[] = [];
  const episodes: PowerEpisode[] = [];
  const notified: string[] = [];
  rules.on('alert-raised', (a) => raised.push(a));
  rules.on('alert-cleared', (a) => cleared.push(a));
  rules.on('episode-ended', (e) => episodes.push(e));
  return { raised, cleared, episodes, notified };
}

const made: AlertRules[] = [];
afterEach(() => made.splice(0).forEach((r) => r.dispose()));

function rulesWith(o: ConstructorParameters<typeof AlertRules>[0] = {}) {
  const r = new AlertRules(o);
  made.push(r);
  return r;
}

describe('alert rules', () => {
  it('raises under-voltage once per episode, turns into "since boot", then clears', () => {
    const notified: string[] = [];
    const rules = rulesWith({ notify: (ev, a) => notified.push(`${ev} ${a.kind}`) });
    const { raised, cleared } = record(rules);
    rules.observe(sample('n1', 1000, { throttled: 0x50005 }));
    rules.observe(sample('n1', 2000, { throttled: 0x50005 }));
    rules.observe(sample('n1', 3000, { throttled: 0x50005 }));
    expect(raised.map((a) => [a.kind, a.severity])).toEqual([
      ['under-voltage-now', 'critical'],
      ['throttled-now', 'warning'],
    ]);
    expect(rules.active().find((a) => a.kind === 'under-voltage-now')!.count).toBe(3);

    rules.observe(sample('n1', 4000, { throttled: 0x50000 }));
    expect(cleared.map((a) => a.kind).sort()).toEqual(['throttled-now', 'under-voltage-now']);
    expect(rules.active().map((a) => [a.kind, a.severity])).toEqual([['under-voltage-since-boot', 'warning']]);

    rules.observe(sample('n1', 5000, { throttled: 0 }));
    expect(rules.active()).toEqual([]);
    expect(notified).toContain('raised under-voltage-now');
    expect(notified).toContain('cleared under-voltage-since-boot');
  });

  it('a new episode after a clear is a new alert', () => {
    const rules = rulesWith();
    const { raised } = record(rules);
    rules.observe(sample('n1', 1000, { throttled: 0x1 }));
    rules.observe(sample('n1', 2000, { throttled: 0x0 }));
    rules.observe(sample('n1', 3000, { throttled: 0x1 }));
    const uv = raised.filter((a) => a.kind === 'under-voltage-now');
    expect(uv).toHaveLength(2);
    expect(uv[0]!.id).not.toBe(uv[1]!.id);
  });

  it('acknowledging keeps the alert visible until the condition ends', () => {
    const rules = rulesWith();
    rules.observe(sample('n1', 1000, { throttled: 0x1 }));
    const a = rules.active()[0]!;
    const acked = rules.acknowledge(a.id)!;
    expect(acked.acknowledgedAt).not.toBeNull();
    rules.observe(sample('n1', 2000, { throttled: 0x1 }));
    expect(rules.active()).toHaveLength(1);
    expect(rules.active()[0]!.acknowledgedAt).toBe(acked.acknowledgedAt);
    rules.observe(sample('n1', 3000, { throttled: 0x0 }));
    expect(rules.active()).toEqual([]);
    expect(rules.acknowledge(a.id)).toBeUndefined();
  });

  it('temperature: configurable threshold, cleared only below it by the hysteresis', () => {
    const rules = rulesWith({ tempThresholdC: 70, tempHysteresisC: 3 });
    const { raised, cleared } = record(rules);
    rules.observe(sample('n1', 1, { tempC: 69.9 }));
    expect(raised).toHaveLength(0);
    rules.observe(sample('n1', 2, { tempC: 71 }));
    rules.observe(sample('n1', 3, { tempC: 68 }));
    rules.observe(sample('n1', 4, { tempC: 71 }));
    expect(raised.map((a) => a.kind)).toEqual(['over-temperature']);
    rules.observe(sample('n1', 5, { tempC: 66.9 }));
    expect(cleared.map((a) => a.kind)).toEqual(['over-temperature']);
    rules.setTemperatureThreshold(90);
    rules.observe(sample('n1', 6, { tempC: 85 }));
    expect(raised).toHaveLength(1);
  });

  it('offline comes from status events and clears when the node is back', () => {
    const rules = rulesWith();
    const { raised, cleared } = record(rules);
    rules.setNodeStatus('n2', 'connecting');
    rules.setNodeStatus('n2', 'offline', 'connection refused');
    rules.setNodeStatus('n2', 'offline', 'connection refused');
    expect(raised.map((a) => [a.kind, a.message])).toEqual([['offline', 'Not answering: connection refused']]);
    rules.setNodeStatus('n2', 'online');
    expect(cleared.map((a) => a.kind)).toEqual(['offline']);
  });

  it('a kernel under-voltage line raises an alert and an episode; normalised clears it', () => {
    const rules = rulesWith();
    const { raised, cleared, episodes } = record(rules);
    rules.kernelLine('n3', { at: 10, message: 'hwmon hwmon1: Undervoltage detected!', power: 'under-voltage' }, 'A');
    rules.kernelLine('n3', { at: 20, message: 'Under-voltage detected! (0x00050005)', power: 'under-voltage' });
    expect(raised.map((a) => a.kind)).toEqual(['under-voltage-logged']);
    expect(rules.active()[0]!.count).toBe(2);
    expect(episodes.map((e) => [e.node, e.kind, e.source, e.start, e.supply])).toEqual([
      ['n3', 'under-voltage', 'kernel', 10, 'A'],
      ['n3', 'under-voltage', 'kernel', 20, 'A'],
    ]);
    rules.kernelLine('n3', { at: 30, message: 'Voltage normalised (0x00000000)', power: 'voltage-normalised' });
    expect(cleared.map((a) => a.kind)).toEqual(['under-voltage-logged']);
  });

  it('a kernel alert clears by itself once the log is quiet', async () => {
    const rules = rulesWith({ kernelQuietMs: 50 });
    rules.kernelLine('n3', { at: 10, message: 'Undervoltage detected!', power: 'under-voltage' });
    expect(rules.active()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 120));
    expect(rules.active()).toEqual([]);
  });

  it('episodes: from "now" to clear, and a sag caught only by the since-boot bit', () => {
    const rules = rulesWith();
    const { episodes } = record(rules);
    rules.observe(sample('n1', 1000, { throttled: 0 }));
    rules.observe(sample('n1', 2000, { throttled: 0x10000 }));
    rules.observe(sample('n1', 3000, { throttled: 0x10001 }));
    rules.observe(sample('n1', 4000, { throttled: 0x10001 }));
    rules.observe(sample('n1', 5000, { throttled: 0x10000 }));
    expect(episodes.filter((e) => e.kind === 'under-voltage').map((e) => [e.start, e.end])).toEqual([
      [2000, 2000],
      [3000, 5000],
    ]);
  });

  it('stopping closes open episodes at the last sample that showed them', () => {
    const rules = rulesWith();
    const { episodes } = record(rules);
    rules.observe(sample('n1', 1000, { throttled: 0x1 }));
    rules.observe(sample('n1', 2000, { throttled: 0x1 }));
    expect(rules.openEpisodes()).toHaveLength(1);
    rules.closeOpenEpisodes();
    expect(rules.openEpisodes()).toEqual([]);
    expect(episodes.map((e) => [e.kind, e.start, e.end, e.detail])).toEqual([['under-voltage', 1000, 2000, '0x1 (monitoring stopped)']]);
  });

  it('no vcgencmd (throttled null) changes no throttle alert', () => {
    const rules = rulesWith();
    rules.observe(sample('n1', 1, { throttled: 0x1 }));
    rules.observe(sample('n1', 2, { throttled: null, tempC: null }));
    expect(rules.active().map((a) => a.kind)).toEqual(['under-voltage-now']);
  });
});
