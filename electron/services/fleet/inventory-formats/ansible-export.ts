// What both Ansible writers (INI and YAML) write for a node and which groups
// exist, so the two formats cannot drift apart.
import type { FleetNode } from '../../../../shared/fleet';
import { CONSUMED, SECRETS } from './ansible-model';
import type { InventoryDocument } from './inventory-import';

/**
 * A node's Ansible host vars. Connection settings are always written, even the
 * defaults, so a group var cannot quietly override what Bramble uses.
 */
export function connectionVars(node: FleetNode): Record<string, unknown> {
  return {
    ansible_host: node.host,
    ansible_port: node.port,
    ansible_user: node.user,
    ...(node.auth.kind === 'key' ? { ansible_ssh_private_key_file: node.auth.path } : {}),
    ...(node.auth.kind === 'password' ? { bramble_auth: 'password' } : {}),
    ...(node.supply !== undefined ? { bramble_supply: node.supply } : {}),
    ...(node.mac !== undefined ? { bramble_mac: node.mac } : {}),
    ...Object.fromEntries(Object.entries(node.vars).filter(([k]) => !CONSUMED.has(k) && !SECRETS.has(k))),
  };
}

/** Every group the document mentions, in first-mention order; `all` and `ungrouped` are implicit. */
export function declaredGroups(doc: InventoryDocument): string[] {
  const seen = new Set<string>();
  for (const node of doc.nodes) for (const g of node.groups) seen.add(g);
  for (const [g, children] of Object.entries(doc.groupChildren ?? {})) {
    seen.add(g);
    for (const c of children) seen.add(c);
  }
  for (const g of Object.keys(doc.groupVars ?? {})) seen.add(g);
  seen.delete('all');
  seen.delete('ungrouped');
  return [...seen];
}
