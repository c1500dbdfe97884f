// Ansible YAML inventories: groups nested through `children` to any depth,
// `hosts` and `vars` at every level, read with YAML 1.1 rules as Ansible's
// PyYAML does (`yes` is true, `0755` is a number) and written so that
// `ansible-inventory` reads back the same hosts, groups and vars.
import { isMap, isNode, isScalar, LineCounter, parseDocument, stringify, type Node as YamlNode, type Pair, type ScalarTag } from 'yaml';
import type { FleetNode } from '../../../../shared/fleet';
import { connectionVars, declaredGroups } from './ansible-export';
import { AnsibleInventoryModel, toInventoryImport, VaultSecret } from './ansible-model';
import { expandHostPattern, HostPatternError } from './host-pattern';
import { InventoryFormatError, type ImportOptions, type InventoryDocument, type InventoryImport, type SkippedEntry } from './inventory-import';

const ansibleTags: ScalarTag[] = [
  { tag: '!vault', resolve: (text: string) => new VaultSecret(text) as unknown as string },
  // Ansible's marker for "do not template this"; the value is the string.
  { tag: '!unsafe', resolve: (text: string) => text },
];

export function parseAnsibleYaml(text: string, options: ImportOptions): InventoryImport {
  const skipped: SkippedEntry[] = [];
  const model = readAnsibleYaml(text, options.file ?? 'inventory', skipped);
  const result = toInventoryImport(model, options);
  return { ...result, skipped: [...skipped, ...result.skipped] };
}

export function readAnsibleYaml(text: string, file: string, skipped: SkippedEntry[] = []): AnsibleInventoryModel {
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', customTags: ansibleTags, uniqueKeys: false, lineCounter: lines, prettyErrors: false });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined): number | undefined =>
    node?.range ? lines.linePos(node.range[0]).line : undefined;
  const firstError = doc.errors[0];
  if (firstError) throw new InventoryFormatError(file, lines.linePos(firstError.pos[0]).line, `not valid YAML: ${firstError.message.split('\n')[0]}`);

  const model = new AnsibleInventoryModel();
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return model;
  if (!isMap(root)) throw new InventoryFormatError(file, lineOf(root), 'an Ansible YAML inventory is a mapping of group names (usually starting with "all:")');
  const toJs = (node: unknown): unknown => plain(isNode(node) ? node.toJS(doc, { maxAliasCount: 1000 }) : node);

  const keyText = (pair: Pair): string | undefined => {
    const key = pair.key;
    if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
    return undefined;
  };

  const parseGroup = (name: string, data: unknown, at: number | undefined): void => {
    if (data !== null && !(isScalar(data) && data.value === null) && !isMap(data)) {
      skipped.push({ entry: `group ${JSON.stringify(name)}`, reason: `line ${at ?? '?'}: a group must be a mapping of hosts, vars and children` });
      return;
    }
    model.group(name);
    if (!isMap(data)) return;
    for (const pair of data.items) {
      const section = keyText(pair);
      const value = pair.value as YamlNode | null;
      const line = lineOf(pair.key as YamlNode) ?? at;
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (section !== 'hosts' && section !== 'vars' && section !== 'children') {
        skipped.push({ entry: `group ${JSON.stringify(name)}: ${section ?? '?'}`, reason: `line ${line ?? '?'}: only hosts, vars and children belong in a group` });
        continue;
      }
      // Ansible accepts a single name in place of a mapping: `hosts: pi1`.
      const entries: [string | undefined, YamlNode | null, number | undefined][] = isScalar(value) && typeof value.value === 'string'
        ? [[value.value, null, lineOf(value)]]
        : isMap(value)
          ? value.items.map((p) => [keyText(p), p.value as YamlNode | null, lineOf(p.key as YamlNode)])
          : (() => {
              throw new InventoryFormatError(file, lineOf(value), `"${section}" of group "${name}" must be a mapping`);
            })();
      for (const [key, child, keyLine] of entries) {
        if (key === undefined) throw new InventoryFormatError(file, keyLine, `a name in "${section}" of group "${name}" must be a string`);
        if (section === 'vars') {
          model.group(name).vars[key] = toJs(child);
        } else if (section === 'children') {
          parseGroup(key, child, keyLine);
          try {
            model.addChild(name, key);
          } catch (error) {
            throw new InventoryFormatError(file, keyLine, (error as Error).message);
          }
        } else {
          const vars = child === null || (isScalar(child) && child.value === null) ? {} : toJs(child);
          if (!vars || typeof vars !== 'object' || Array.isArray(vars)) throw new InventoryFormatError(file, keyLine, `host "${key}" must have a mapping of vars (or nothing)`);
          let expanded: { hosts: string[]; port?: number };
          try {
            expanded = expandHostPattern(key);
          } catch (error) {
            if (error instanceof HostPatternError) throw new InventoryFormatError(file, keyLine, error.message);
            throw error;
          }
          for (const host of expanded.hosts) model.addHost(host, name, { ...(vars as Record<string, unknown>) }, expanded.port);
        }
      }
    }
  };

  for (const pair of root.items) {
    const name = keyText(pair);
    const line = lineOf(pair.key as YamlNode);
    if (name === undefined) throw new InventoryFormatError(file, line, 'a group name must be a string');
    parseGroup(name, pair.value, line);
  }
  return model;
}

/** JSON-shaped values: YAML 1.1 timestamps become ISO strings, Vault values stay marked. */
function plain(value: unknown): unknown {
  if (value instanceof VaultSecret) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (value instanceof Set) return [...value].map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

type GroupBody = { hosts?: Record<string, Record<string, unknown> | null>; vars?: Record<string, unknown>; children?: Record<string, GroupBody> };

export function toAnsibleYaml(doc: InventoryDocument): string {
  const groupVars = doc.groupVars ?? {};
  const groupChildren = doc.groupChildren ?? {};
  const written = new Set<string>();
  // Host vars go with a host's first appearance; Ansible merges the rest.
  const hostEntry = (node: FleetNode): Record<string, unknown> | null => {
    if (written.has(node.name)) return null;
    written.add(node.name);
    return connectionVars(node);
  };
  const defined = new Set<string>();
  const body = (group: string, trail: string[]): GroupBody => {
    // Each group is spelled out once; later mentions are references.
    if (defined.has(group) || trail.includes(group)) return {};
    defined.add(group);
    const out: GroupBody = {};
    const members = doc.nodes.filter((n) => n.groups.includes(group));
    if (members.length) out.hosts = Object.fromEntries(members.map((n) => [n.name, hostEntry(n)]));
    if (Object.keys(groupVars[group] ?? {}).length) out.vars = groupVars[group];
    const children = groupChildren[group] ?? [];
    if (children.length) out.children = Object.fromEntries(children.map((c) => [c, body(c, [...trail, group])]));
    return out;
  };

  const groups = declaredGroups(doc);
  const isChild = new Set(Object.values(groupChildren).flat());
  const all: GroupBody = {};
  const ungrouped = doc.nodes.filter((n) => !n.groups.length);
  if (ungrouped.length) all.hosts = Object.fromEntries(ungrouped.map((n) => [n.name, hostEntry(n)]));
  if (Object.keys(groupVars.all ?? {}).length) all.vars = groupVars.all;
  const top: Record<string, GroupBody> = {};
  if (Object.keys(groupVars.ungrouped ?? {}).length) top.ungrouped = { vars: groupVars.ungrouped };
  for (const g of groups) if (!isChild.has(g)) top[g] = body(g, []);
  // Groups only reachable through a loop of children still get written.
  for (const g of groups) if (!defined.has(g)) top[g] = body(g, []);
  if (Object.keys(top).length) all.children = top;
  // YAML 1.1 quoting, so strings like "yes" or "0755" stay strings for PyYAML.
  return `# Ansible inventory written by Bramble\n${stringify({ all }, { version: '1.1', nullStr: '' })}`;
}
