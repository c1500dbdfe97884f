// Node names from the names other tools use: an Ansible alias or ssh Host
// alias is often an IP or FQDN, which is a fine address but not a node name.
import { HostAddressSchema, NodeNameSchema } from '../../../../shared/fleet';

/** What a user sees for a name: quoted, with newlines and control characters visible. */
export const shown = (s: string): string => JSON.stringify(s);

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * A node name for an inventory alias. Aliases are often an IP or an FQDN; the
 * node then gets a derived name and the alias stays its address.
 */
export type Naming = { ok: true; name: string; derivedBecause?: string } | { ok: false; reason: string };

export function nodeName(alias: string): Naming {
  if (NodeNameSchema.safeParse(alias).success) return { ok: true, name: alias };
  const address = HostAddressSchema.safeParse(alias).success;
  let derived: string | undefined;
  let because = '';
  if (IPV4.test(alias)) {
    derived = alias.replace(/\./g, '-');
    because = 'an IP address is not a node name';
  } else if (address && alias.includes(':')) {
    derived = `ip6-${alias.replace(/[^0-9a-f]+/gi, '-').replace(/^-|-$/g, '')}`.slice(0, 63).replace(/-$/, '');
    because = 'an IP address is not a node name';
  } else if (address && alias.includes('.')) {
    derived = alias.split('.')[0]!.replace(/_/g, '-');
    because = 'a node name is a single label, so it is the first part of the host name';
  } else if (/^[A-Za-z0-9_-]+$/.test(alias)) {
    derived = alias.replace(/_/g, '-');
    because = 'node names cannot contain "_"';
  }
  if (derived && NodeNameSchema.safeParse(derived).success) return { ok: true, name: derived, derivedBecause: `${because}; named "${derived}"` };
  return { ok: false, reason: `${shown(alias)} is not a usable node name (letters, digits and inner hyphens only) and no name can be derived from it` };
}

/** One sentence for the first thing wrong with a would-be node, naming the setting it came from. */
export function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined, candidate: Record<string, unknown>, source: Record<string, string> = {}): string {
  if (!issue) return 'not a valid node';
  const field = String(issue.path[0] ?? '');
  let value: unknown = candidate;
  for (const p of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[p];
  const shownValue = typeof value === 'string' ? shown(value) : JSON.stringify(value);
  return `${source[field] ?? field} ${shownValue ?? ''} is not usable: ${issue.message}`.replace(/ {2}/g, ' ');
}

export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return `${home}${p.slice(1)}`;
  return p;
}
