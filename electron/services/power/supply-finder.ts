// Finds the supply to blame: boards on a sagging shared charger report
// under-voltage together, when their neighbours are busy. Pure: give it the
// episodes of a period and the inventory's supply groups.
import type { EpisodeKind, PowerEpisode } from '../../../shared/power';

export interface SupplyFinderOptions {
  /** Episodes this close together (from the first) count as one incident; default 10 s. */
  windowMs?: number;
  /** Nodes that must be in one incident; default half the group (rounded up), at least 2. */
  minNodes?: number;
  /** How the period reads in the sentence; default "today". */
  periodLabel?: string;
  kinds?: EpisodeKind[];
}

export interface SupplyIncident {
  start: number;
  end: number;
  nodes: string[];
}

export interface SupplyFinding {
  supply: string;
  verdict: 'suspect-supply' | 'suspect-port';
  /** Nodes in the group (inventory). */
  groupSize: number;
  /** Most nodes seen in one incident. */
  maxNodes: number;
  /** Incidents that reached the threshold. */
  incidents: SupplyIncident[];
  /** A single node that reports alone (suspect-port). */
  node?: string;
  message: string;
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);
const kindWords = (kinds: EpisodeKind[]) => (kinds.length === 1 && kinds[0] === 'throttled' ? 'throttling' : kinds.includes('under-voltage') && kinds.includes('throttled') ? 'under-voltage or throttling' : 'under-voltage');

export function findSupplySuspects(episodes: readonly PowerEpisode[], nodes: readonly { name: string; supply?: string }[], o: SupplyFinderOptions = {}): SupplyFinding[] {
  const windowMs = o.windowMs ?? 10_000;
  const period = o.periodLabel ?? 'today';
  const kinds = o.kinds ?? ['under-voltage'];
  const groups = new Map<string, string[]>();
  for (const n of nodes) if (n.supply) groups.set(n.supply, [...(groups.get(n.supply) ?? []), n.name]);
  const supplyOf = new Map(nodes.filter((n) => n.supply).map((n) => [n.name, n.supply!]));

  const findings: SupplyFinding[] = [];
  for (const [supply, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    // The inventory's current grouping decides, not the supply recorded with an old episode.
    const eps = episodes.filter((e) => kinds.includes(e.kind) && supplyOf.get(e.node) === supply).sort((a, b) => a.start - b.start);
    if (!eps.length) continue;
    const needed = Math.max(2, o.minNodes ?? Math.ceil(members.length / 2));

    const incidents: SupplyIncident[] = [];
    let cur: { start: number; end: number; nodes: Set<string> } | undefined;
    const close = () => cur && incidents.push({ start: cur.start, end: cur.end, nodes: [...cur.nodes].sort() });
    for (const e of eps) {
      if (cur && e.start - cur.start <= windowMs) {
        cur.nodes.add(e.node);
        cur.end = Math.max(cur.end, e.start);
      } else {
        close();
        cur = { start: e.start, end: e.start, nodes: new Set([e.node]) };
      }
    }
    close();

    const shared = incidents.filter((i) => i.nodes.length >= needed);
    const what = kindWords(kinds);
    if (members.length >= 2 && shared.length) {
      const maxNodes = Math.max(...shared.map((i) => i.nodes.length));
      findings.push({
        supply,
        verdict: 'suspect-supply',
        groupSize: members.length,
        maxNodes,
        incidents: shared,
        message: `${maxNodes} of ${members.length} nodes on supply ${supply} reported ${what} within ${Math.round(windowMs / 1000)} s of each other, ${times(shared.length)} ${period}: suspect supply ${supply}.`,
      });
      continue;
    }
    // One board that sags again and again while its neighbours never do: its cable or its port.
    const reporters = new Set(eps.map((e) => e.node));
    if (members.length >= 2 && reporters.size === 1 && incidents.length >= 2) {
      const node = [...reporters][0]!;
      findings.push({
        supply,
        verdict: 'suspect-port',
        groupSize: members.length,
        maxNodes: 1,
        incidents,
        node,
        message: `Only ${node} of the ${members.length} nodes on supply ${supply} reported ${what}, ${times(incidents.length)} ${period}: suspect its cable or its port on supply ${supply}.`,
      });
    }
  }
  return findings;
}
