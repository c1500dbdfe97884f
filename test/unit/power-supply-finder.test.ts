import { describe, expect, it } from 'vitest';
import type { PowerEpisode } from '../../shared/power';
import { findSupplySuspects } from '../../electron/services/power/supply-finder';

const nodes = [
  { name: 'a1', supply: 'A' },
  { name: 'a2', supply: 'A' },
  { name: 'a3', supply: 'A' },
  { name: 'a4', supply: 'A' },
  { name: 'b1', supply: 'B' },
  { name: 'b2', supply: 'B' },
  { name: 'lone' },
];

let seq = 0;
const ep = (node: string, start: number, kind: PowerEpisode['kind'] = 'under-voltage'): PowerEpisode => ({ id: String(++seq), node, kind, source: 'telemetry', start, end: start + 500 });

describe('supply finder', () => {
  it('spells out a supply whose nodes sag together', () => {
    const eps: PowerEpisode[] = [];
    for (let i = 0; i < 5; i++) {
      const t = i * 3_600_000;
      eps.push(ep('a1', t), ep('a2', t + 2000), ep('a3', t + 9000));
    }
    eps.push(ep('b1', 100), ep('lone', 100));
    const f = findSupplySuspects(eps, nodes);
    expect(f).toHaveLength(1);
    expect(f[0]!.verdict).toBe('suspect-supply');
    expect(f[0]!.message).toBe('3 of 4 nodes on supply A reported under-voltage within 10 s of each other, 5 times today: suspect supply A.');
    expect(f[0]!.incidents[0]!.nodes).toEqual(['a1', 'a2', 'a3']);
  });

  it('events further apart than the window are not one incident', () => {
    const eps = [ep('a1', 0), ep('a2', 11_000), ep('a3', 22_000)];
    expect(findSupplySuspects(eps, nodes)).toEqual([]);
    expect(findSupplySuspects(eps, nodes, { windowMs: 30_000 })[0]!.message).toMatch(/^3 of 4 nodes on supply A .* within 30 s of each other, once today/);
  });

  it('one node of a group reporting alone again and again points at its cable or port', () => {
    const eps = [ep('b2', 0), ep('b2', 60_000), ep('b2', 120_000)];
    const f = findSupplySuspects(eps, nodes, { periodLabel: 'this week' });
    expect(f.map((x) => [x.verdict, x.node, x.message])).toEqual([
      ['suspect-port', 'b2', 'Only b2 of the 2 nodes on supply B reported under-voltage, 3 times this week: suspect its cable or its port on supply B.'],
    ]);
  });

  it('uses the inventory grouping and the requested kinds', () => {
    const eps = [ep('a1', 0, 'throttled'), ep('a2', 1000, 'throttled')];
    expect(findSupplySuspects(eps, nodes)).toEqual([]);
    const f = findSupplySuspects(eps, nodes, { kinds: ['throttled'] });
    expect(f[0]!.message).toBe('2 of 4 nodes on supply A reported throttling within 10 s of each other, once today: suspect supply A.');
    // Regrouped: a1 and a2 are now on different supplies.
    expect(findSupplySuspects(eps, [{ name: 'a1', supply: 'A' }, { name: 'a2', supply: 'C' }, { name: 'a3', supply: 'A' }], { kinds: ['throttled'] })).toEqual([]);
  });
});
