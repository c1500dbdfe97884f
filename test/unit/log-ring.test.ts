import { describe, expect, it } from 'vitest';
import { LogRing } from '../../shared/logs/log-ring';
import { LogStore } from '../../shared/logs/log-store';
import { parseJournalJson } from '../../shared/logs/log-entry';

describe('log ring buffer', () => {
  it('keeps the newest lines, oldest first, and counts what it dropped', () => {
    const r = new LogRing<number>(3);
    r.pushMany([1, 2, 3, 4, 5]);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect([r.size, r.dropped, r.firstSeq, r.endSeq]).toEqual([3, 2, 2, 5]);
    expect(r.since(4)).toEqual([5]);
    expect(r.since(0)).toEqual([3, 4, 5]);
    expect(r.tail(2)).toEqual([4, 5]);
  });

  it('holds 100k lines by default and stays bounded past that', () => {
    const r = new LogRing<number>();
    expect(r.capacity).toBe(100_000);
    for (let i = 0; i < 250_000; i++) r.push(i);
    expect(r.size).toBe(100_000);
    const all = r.toArray();
    expect([all[0], all.at(-1)]).toEqual([150_000, 249_999]);
  });

  it('resizing to the user’s new size keeps the newest lines and the sequence numbers', () => {
    const r = new LogRing<number>(5);
    r.pushMany([1, 2, 3, 4, 5, 6]);
    r.resize(2);
    expect(r.toArray()).toEqual([5, 6]);
    expect([r.endSeq, r.dropped]).toEqual([6, 4]);
    r.resize(4);
    r.push(7);
    expect(r.toArray()).toEqual([5, 6, 7]);
    expect(() => new LogRing(0)).toThrow();
  });

  it('a store answers filtered queries and "what is new since"', () => {
    const store = new LogStore(4);
    const mk = (i: number, unit: string) => parseJournalJson(JSON.stringify({ __REALTIME_TIMESTAMP: String(i * 1000), MESSAGE: `m${i}`, _SYSTEMD_UNIT: unit }), 'n1')!;
    store.add([mk(1, 'a.service'), mk(2, 'b.service'), mk(3, 'a.service')]);
    const first = store.query({ units: ['a'] });
    expect(first.entries.map((e) => e.message)).toEqual(['m1', 'm3']);
    store.add([mk(4, 'a.service'), mk(5, 'a.service')]);
    const next = store.query({ units: ['a'], sinceSeq: first.endSeq });
    expect(next.entries.map((e) => e.message)).toEqual(['m4', 'm5']);
    expect(next.dropped).toBe(1);
    expect(store.query({ limit: 2 }).entries.map((e) => e.message)).toEqual(['m4', 'm5']);
  });
});
