import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openHistoryStore, type MetricSample } from '../../electron/services/power/history-store';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;
const s = (node: string, at: number, tempC: number, throttled = 0, inputVolts: number | null = 5.1): MetricSample => ({ node, at, tempC, coreVolts: 0.85, inputVolts, throttled, load1: 1, memUsedPct: 40 });

describe('history store', () => {
  it('keeps raw samples for an hour, then one averaged row per minute', () => {
    const file = path.join(dir, 'down.sqlite');
    const store = openHistoryStore(file);
    const t0 = Date.UTC(2025, 0, 1, 10, 0, 0);
    // Minute 10:00: two samples, one under-voltage, one throttled; minute 10:01: one sample.
    store.addSamples([s('n1', t0 + 1000, 50, 0x1, 5.0), s('n1', t0 + 30_000, 60, 0x4, 4.7), s('n1', t0 + 61_000, 70), s('n2', t0 + 1000, 40)]);
    // Not yet an hour old: nothing changes.
    expect(store.maintain(t0 + HOUR - 1).downsampled).toBe(0);
    expect(store.series('n1', t0, t0 + 120_000).map((p) => p.bucketMs)).toEqual([0, 0, 0]);

    const r = store.maintain(t0 + HOUR + 120_000);
    expect(r.downsampled).toBe(4);
    const pts = store.series('n1', t0, t0 + 120_000);
    expect(pts.map((p) => [p.at, p.bucketMs, p.samples, p.tempC, p.tempMaxC, p.throttled, p.inputVoltsMin])).toEqual([
      [t0, 60_000, 2, 55, 60, 0x5, 4.7],
      [t0 + 60_000, 60_000, 1, 70, 70, 0, 5.1],
    ]);
    expect(store.series('n2', t0, t0 + 120_000)).toHaveLength(1);
    store.close();
  });

  it('late samples for a downsampled minute merge into its bucket', () => {
    const store = openHistoryStore(path.join(dir, 'merge.sqlite'));
    const t0 = Date.UTC(2025, 0, 1, 10, 0, 0);
    store.addSamples([s('n1', t0 + 1000, 50)]);
    store.maintain(t0 + 2 * HOUR);
    store.addSamples([s('n1', t0 + 2000, 70, 0x10000)]);
    store.maintain(t0 + 2 * HOUR);
    const [p] = store.series('n1', t0, t0 + 60_000);
    expect([p!.samples, p!.tempC, p!.tempMaxC, p!.throttled]).toEqual([2, 60, 70, 0x10000]);
    store.close();
  });

  it('prunes everything older than the retention', () => {
    const store = openHistoryStore(path.join(dir, 'prune.sqlite'), { retentionMs: 2 * HOUR });
    const t0 = Date.UTC(2025, 0, 1, 0, 0, 0);
    store.addSamples([s('n1', t0, 50), s('n1', t0 + 3 * HOUR, 51)]);
    store.addEvents([{ node: 'n1', at: t0, kind: 'kernel-line', message: 'old' }, { node: 'n1', at: t0 + 3 * HOUR, kind: 'kernel-line', message: 'new' }]);
    store.saveEpisode({ id: 'e-old', node: 'n1', kind: 'under-voltage', source: 'telemetry', start: t0, end: t0 + 1000 });
    store.maintain(t0 + 3 * HOUR + 1000);
    expect(store.series('n1', 0, t0 + 4 * HOUR).map((p) => p.tempC)).toEqual([51]);
    expect(store.events({ from: 0, to: t0 + 4 * HOUR }).map((e) => e.message)).toEqual(['new']);
    expect(store.episodes(0, t0 + 4 * HOUR)).toEqual([]);
    store.close();
  });

  it('events, episodes (open ones too) and samples survive closing and reopening the file', () => {
    const file = path.join(dir, 'reopen.sqlite');
    const t0 = Date.now();
    let store = openHistoryStore(file);
    store.addSamples([s('n1', t0, 48.5)]);
    store.addEvents([{ node: 'n1', at: t0, kind: 'alert-raised', severity: 'critical', message: 'n1: Under-voltage', data: { id: 'x', count: 1 } }]);
    store.saveEpisode({ id: 'e1', node: 'n1', supply: 'A', kind: 'under-voltage', source: 'telemetry', start: t0, end: null });
    store.saveEpisode({ id: 'e2', node: 'n2', kind: 'throttled', source: 'kernel', start: t0 - 5000, end: t0 - 5000, detail: 'throttled' });
    store.close();

    store = openHistoryStore(file);
    expect(store.series('n1', t0 - 1, t0 + 1).map((p) => p.tempC)).toEqual([48.5]);
    expect(store.events({ from: t0 - 1, to: t0 + 1 })).toEqual([{ id: 1, node: 'n1', at: t0, kind: 'alert-raised', severity: 'critical', message: 'n1: Under-voltage', data: { id: 'x', count: 1 } }]);
    store.saveEpisode({ id: 'e1', node: 'n1', supply: 'A', kind: 'under-voltage', source: 'telemetry', start: t0, end: t0 + 3000 });
    expect(store.episodes(t0 - 10_000, t0 + 10_000).map((e) => [e.id, e.node, e.start, e.end])).toEqual([
      ['e2', 'n2', t0 - 5000, t0 - 5000],
      ['e1', 'n1', t0, t0 + 3000],
    ]);
    expect(store.episodes(t0 + 4000, t0 + 10_000)).toEqual([]);
    store.close();
  });
});
