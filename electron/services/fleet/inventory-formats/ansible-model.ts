// Ansible's view of an inventory (hosts, groups with children and vars), built
// by the INI and YAML readers, and the one place that turns it into Bramble
// nodes: connection variables become node fields, passwords are dropped and
// reported, and aliases that are not node names get a derived name or a reason.
import os from 'node:os';
import { FleetNodeSchema, GroupNameSchema, type FleetNode, type NodeAuth } from '../../../../shared/fleet';
import { describeIssue, expandHome, nodeName, shown } from './node-naming';
import type { GroupChildren, GroupVars, ImportOptions, InventoryImport, RenamedEntry, SkippedEntry } from './inventory-import';

export interface AnsibleGroup {
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
}

/** A value Ansible Vault encrypted (`!vault` in YAML); Bramble cannot read it. */
export class VaultSecret {
  constructor(readonly ciphertext: string) {}
}

export class AnsibleInventoryModel {
  readonly hosts = new Map<string, Record<string, unknown>>();
  readonly groups = new Map<string, AnsibleGroup>();

  constructor() {
    this.group('all');
    this.group('ungrouped');
  }

  group(name: string): AnsibleGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = { hosts: [], children: [], vars: {} };
      this.groups.set(name, group);
    }
    return group;
  }

  addHost(name: string, groupName: string, vars: Record<string, unknown>, port?: number): void {
    const hostVars = this.hosts.get(name) ?? {};
    this.hosts.set(name, hostVars);
    const group = this.group(groupName);
    if (!group.hosts.includes(name)) group.hosts.push(name);
    if (port !== undefined) hostVars.ansible_port = port;
    Object.assign(hostVars, vars);
  }

  addChild(parent: string, child: string): void {
    if (parent === child) throw new Error(`group "${parent}" cannot be a child of itself`);
    if (this.ancestors(parent).has(child)) throw new Error(`adding "${child}" as a child of "${parent}" would make a loop of groups`);
    const group = this.group(parent);
    this.group(child);
    if (!group.children.includes(child)) group.children.push(child);
  }

  parentsOf(name: string): string[] {
    return [...this.groups].filter(([, g]) => g.children.includes(name)).map(([n]) => n);
  }

  ancestors(name: string, seen = new Set<string>()): Set<string> {
    for (const parent of this.parentsOf(name)) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      this.ancestors(parent, seen);
    }
    return seen;
  }

  /** Ansible's group depth: the longest path from `all`. */
  depth(name: string): number {
    if (name === 'all') return 0;
    const parents = this.parentsOf(name);
    return 1 + (parents.length ? Math.max(...parents.map((p) => this.depth(p))) : 0);
  }
}

const CONNECTION_VARS = {
  host: ['ansible_host', 'ansible_ssh_host'],
  port: ['ansible_port', 'ansible_ssh_port'],
  user: ['ansible_user', 'ansible_ssh_user'],
  key: ['ansible_ssh_private_key_file', 'ansible_private_key_file'],
  supply: ['bramble_supply', 'supply'],
  mac: ['bramble_mac'],
  /** Written by Bramble's export so a password node stays one (the password itself never is). */
  auth: ['bramble_auth'],
} as const;
const LOGIN_PASSWORDS = ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password'];
export const SECRETS = new Set([...LOGIN_PASSWORDS, 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', 'ansible_sudo_password']);
export const CONSUMED = new Set<string>(Object.values(CONNECTION_VARS).flat());

const ANSIBLE_FIELD_SOURCES: Record<string, string> = { host: 'ansible_host', port: 'ansible_port', user: 'ansible_user', supply: 'bramble_supply', mac: 'bramble_mac', groups: 'group' };
const SECRET_REASON = 'passwords are never copied from an inventory file; Bramble asks for it and keeps it in the OS keychain';
const VAULT_REASON = 'the value is encrypted with Ansible Vault, which Bramble cannot read';

/** Turns Ansible's model into nodes, group vars and the list of what could not come across. */
export function toInventoryImport(model: AnsibleInventoryModel, options: ImportOptions): InventoryImport {
  const skipped: SkippedEntry[] = [];
  const renamed: RenamedEntry[] = [];
  const home = options.homeDir ?? os.homedir();

  // Groups first: a group name Bramble cannot store is dropped from every node, with a reason.
  const usableGroups = new Set<string>();
  for (const name of model.groups.keys()) {
    if (GroupNameSchema.safeParse(name).success) usableGroups.add(name);
    else skipped.push({ entry: `group ${shown(name)}`, reason: 'not a usable group name (letters, digits, _ and - only, starting with a letter or _); its hosts are imported without it' });
  }

  const groupVars: GroupVars = {};
  for (const [name, group] of model.groups) {
    if (!usableGroups.has(name)) continue;
    const vars = withoutSecrets(group.vars, `group ${name}`, skipped);
    if (Object.keys(vars).length) groupVars[name] = vars;
  }
  const groupChildren: GroupChildren = {};
  for (const [name, group] of model.groups) {
    if (name === 'all' || name === 'ungrouped' || !usableGroups.has(name)) continue;
    groupChildren[name] = group.children.filter((c) => usableGroups.has(c));
  }

  const nodes: FleetNode[] = [];
  const taken = new Map<string, string>();
  for (const [alias, hostVars] of model.hosts) {
    const direct = [...model.groups].filter(([, g]) => g.hosts.includes(alias)).map(([n]) => n);
    const effective = effectiveVars(model, direct, hostVars);
    const pick = (keys: readonly string[]): unknown => keys.map((k) => effective[k]).find((v) => v !== undefined);

    const vaulted = Object.entries(effective).filter(([k, v]) => v instanceof VaultSecret && CONSUMED.has(k));
    const vars = withoutSecrets(
      Object.fromEntries(Object.entries(hostVars).filter(([k]) => !CONSUMED.has(k))),
      alias,
      skipped,
    );
    if (vaulted.length) {
      skipped.push({ entry: alias, reason: `${vaulted.map(([k]) => k).join(', ')}: ${VAULT_REASON}` });
      continue;
    }

    const naming = nodeName(alias);
    if (!naming.ok) {
      skipped.push({ entry: alias, reason: naming.reason });
      continue;
    }
    const { name } = naming;
    if (taken.has(name)) {
      skipped.push({ entry: alias, reason: `its node name "${name}" is already used by ${shown(taken.get(name)!)} in this file` });
      continue;
    }

    const keyPath = pick(CONNECTION_VARS.key);
    const wantsPassword = LOGIN_PASSWORDS.some((k) => effective[k] !== undefined) || pick(CONNECTION_VARS.auth) === 'password';
    const auth: NodeAuth =
      typeof keyPath === 'string' && keyPath ? { kind: 'key', path: expandHome(keyPath, home) } : wantsPassword ? { kind: 'password' } : { kind: 'agent' };
    const portValue = pick(CONNECTION_VARS.port);
    const supply = pick(CONNECTION_VARS.supply);
    const mac = pick(CONNECTION_VARS.mac);
    const candidate = {
      name,
      host: pick(CONNECTION_VARS.host) ?? alias,
      port: typeof portValue === 'string' && /^\d+$/.test(portValue) ? Number(portValue) : (portValue ?? 22),
      user: pick(CONNECTION_VARS.user) ?? options.defaultUser,
      auth,
      groups: direct.filter((g) => g !== 'all' && g !== 'ungrouped' && usableGroups.has(g)),
      ...(supply !== undefined ? { supply: typeof supply === 'string' ? supply : String(supply) } : {}),
      ...(typeof mac === 'string' ? { mac: mac.toLowerCase() } : {}),
      vars,
    };
    const checked = FleetNodeSchema.safeParse(candidate);
    if (!checked.success) {
      skipped.push({ entry: alias, reason: describeIssue(checked.error.issues[0], candidate, ANSIBLE_FIELD_SOURCES) });
      continue;
    }
    if (naming.derivedBecause) renamed.push({ entry: alias, name, reason: naming.derivedBecause });
    taken.set(name, alias);
    nodes.push(checked.data);
  }
  return { nodes, groupVars, groupChildren, skipped, renamed };
}

/** Group vars in Ansible's order (depth, then ansible_group_priority, then name), host vars last. */
function effectiveVars(model: AnsibleInventoryModel, direct: string[], hostVars: Record<string, unknown>): Record<string, unknown> {
  const groups = new Set<string>(['all']);
  for (const g of direct) {
    groups.add(g);
    for (const a of model.ancestors(g)) groups.add(a);
  }
  const priority = (g: string): number => Number(model.groups.get(g)?.vars.ansible_group_priority ?? 1) || 1;
  const ordered = [...groups].sort((a, b) => model.depth(a) - model.depth(b) || priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.assign({}, ...ordered.map((g) => model.groups.get(g)?.vars ?? {}), hostVars) as Record<string, unknown>;
}

function withoutSecrets(vars: Record<string, unknown>, owner: string, skipped: SkippedEntry[]): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vars)) {
    if (SECRETS.has(key)) skipped.push({ entry: `${owner}: ${key}`, reason: SECRET_REASON });
    else if (value instanceof VaultSecret) skipped.push({ entry: `${owner}: ${key}`, reason: VAULT_REASON });
    else kept[key] = value;
  }
  return kept;
}

