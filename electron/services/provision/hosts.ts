// Ansible host patterns over Bramble's inventory: `all`/`*`, group and host
// names, globs, `~regex`, unions with `:` or `,`, `&` intersections and `!`
// exclusions (applied in that order, like Ansible), and --limit on top.

export interface InventoryView {
  /** Host names in inventory order. */
  hosts: string[];
  /** Group name → member host names (without `all`/`ungrouped`, which are implied). */
  groups: Record<string, string[]>;
}

/** Every group a view knows, with Ansible's implicit `all` and `ungrouped`. */
export function allGroups(inv: InventoryView): Record<string, string[]> {
  const grouped = new Set(Object.values(inv.groups).flat());
  return {
    all: [...inv.hosts],
    ungrouped: inv.hosts.filter((h) => !grouped.has(h)),
    ...inv.groups,
  };
}

function globToRegex(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`);
}

/** Hosts one pattern term names: a group, a host, a glob or a ~regex over both. */
function term(inv: InventoryView, groups: Record<string, string[]>, t: string): string[] {
  if (t === 'all' || t === '*') return [...inv.hosts];
  if (groups[t]) return groups[t]!;
  if (inv.hosts.includes(t)) return [t];
  let re: RegExp | undefined;
  if (t.startsWith('~')) re = new RegExp(t.slice(1));
  else if (/[*?[]/.test(t)) re = globToRegex(t);
  if (!re) return [];
  const out = new Set<string>();
  for (const [g, members] of Object.entries(groups)) if (re.test(g)) members.forEach((h) => out.add(h));
  for (const h of inv.hosts) if (re.test(h)) out.add(h);
  return [...out];
}

/** Split on `,` always, and on `:` unless the pattern is a regex or looks like an IPv6 address. */
function terms(pattern: string): string[] {
  const parts = pattern.split(',').flatMap((p) => (p.trim().startsWith('~') || /::/.test(p) ? [p] : p.split(':')));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** The hosts a pattern (or several, a YAML list of patterns) selects, in inventory order. */
export function selectHosts(inv: InventoryView, pattern: string | string[]): string[] {
  const groups = allGroups(inv);
  const list = Array.isArray(pattern) ? pattern.flatMap(terms) : terms(pattern);
  const union = new Set<string>();
  const intersections: string[][] = [];
  const exclusions = new Set<string>();
  for (const t of list) {
    if (t.startsWith('!')) term(inv, groups, t.slice(1)).forEach((h) => exclusions.add(h));
    else if (t.startsWith('&')) intersections.push(term(inv, groups, t.slice(1)));
    else term(inv, groups, t).forEach((h) => union.add(h));
  }
  return inv.hosts.filter((h) => union.has(h) && intersections.every((i) => i.includes(h)) && !exclusions.has(h));
}

/** Apply --limit (itself a pattern) to an already selected host list. */
export function limitHosts(inv: InventoryView, selected: string[], limit: string | string[] | undefined): string[] {
  if (limit === undefined || (Array.isArray(limit) && limit.length === 0) || limit === '') return selected;
  const allowed = new Set(selectHosts(inv, limit));
  return selected.filter((h) => allowed.has(h));
}
