// The fleet inventory: the nodes the user manages, their groups' own vars and
// nesting (so an Ansible import round-trips), in inventory.json in the data
// folder. Writes are atomic and one at a time; a damaged file is moved aside
// and the last good copy restored, with a notice, never silently lost.
import { z } from 'zod';
import { FleetNodeSchema, GroupNameSchema, type FleetNode, type FleetNodeInput } from '../../../shared/fleet';
import type { NoticeBoard } from '../app/notice-board';
import { openStore, type JsonFileStore } from '../storage/json-file-store';
import { UserError } from '../user-error';
import type { GroupChildren, GroupVars, InventoryDocument, SkippedEntry } from './inventory-formats/inventory-import';

/** Groups every node is in without saying so. */
const IMPLICIT_GROUPS = new Set(['all', 'ungrouped']);

const InventoryFileSchema = z
  .object({
    nodes: z.array(FleetNodeSchema),
    groupVars: z.record(GroupNameSchema, z.record(z.string(), z.unknown())).default({}),
    groupChildren: z.record(GroupNameSchema, z.array(GroupNameSchema)).default({}),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.nodes.forEach((n, i) => {
      if (seen.has(n.name)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'name'], message: `the name ${n.name} is used twice` });
      seen.add(n.name);
    });
  });
type InventoryFile = z.output<typeof InventoryFileSchema>;

export interface MergeResult {
  added: string[];
  updated: string[];
  skipped: SkippedEntry[];
}

export interface MergeOptions {
  /** Overwrite nodes (and group vars) that already exist; otherwise they are kept and reported. */
  replace?: boolean;
  groupVars?: GroupVars;
  groupChildren?: GroupChildren;
}

type Listener = (nodes: FleetNode[]) => void;

export class Inventory {
  private readonly store: JsonFileStore<typeof InventoryFileSchema>;
  private data: InventoryFile;
  private readonly listeners = new Set<Listener>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, notices: Pick<NoticeBoard, 'post'>) {
    const { store, value } = openStore(dataDir, 'inventory.json', InventoryFileSchema, () => ({ nodes: [], groupVars: {}, groupChildren: {} }), notices);
    this.store = store;
    this.data = value;
  }

  list(): FleetNode[] {
    return this.data.nodes.map(copy);
  }

  get(name: string): FleetNode | undefined {
    const node = this.data.nodes.find((n) => n.name === name);
    return node && copy(node);
  }

  /** Everything an export needs. */
  document(): Required<InventoryDocument> {
    return structuredClone({ nodes: this.data.nodes, groupVars: this.data.groupVars, groupChildren: this.data.groupChildren });
  }

  groupVars(): GroupVars {
    return structuredClone(this.data.groupVars);
  }

  /** Group → member names, members of child groups included; `all` has every node. */
  groups(): Record<string, string[]> {
    const direct = new Map<string, Set<string>>();
    const ensure = (g: string): Set<string> => direct.get(g) ?? direct.set(g, new Set()).get(g)!;
    for (const node of this.data.nodes) for (const g of node.groups) ensure(g).add(node.name);
    for (const [g, children] of Object.entries(this.data.groupChildren)) {
      ensure(g);
      children.forEach(ensure);
    }
    for (const g of Object.keys(this.data.groupVars)) if (!IMPLICIT_GROUPS.has(g)) ensure(g);
    const members = (g: string, seen: Set<string>): Set<string> => {
      const out = new Set(direct.get(g));
      for (const child of this.data.groupChildren[g] ?? []) {
        if (seen.has(child)) continue;
        for (const m of members(child, new Set([...seen, child]))) out.add(m);
      }
      return out;
    };
    const order = new Map(this.data.nodes.map((n, i) => [n.name, i]));
    const sorted = (names: Set<string>): string[] => [...names].sort((a, b) => order.get(a)! - order.get(b)!);
    const result: Record<string, string[]> = { all: this.data.nodes.map((n) => n.name) };
    for (const g of direct.keys()) result[g] = sorted(members(g, new Set([g])));
    return result;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(input: FleetNodeInput): Promise<FleetNode> {
    return this.change((data) => {
      const node = validNode(input);
      if (data.nodes.some((n) => n.name === node.name)) throw new UserError(`There is already a node called ${node.name} in the inventory; choose another name.`);
      data.nodes.push(node);
      return copy(node);
    });
  }

  /** Changes some of a node's settings; a new `name` renames it if that name is free. */
  update(name: string, patch: Partial<FleetNodeInput>): Promise<FleetNode> {
    return this.change((data) => {
      const index = data.nodes.findIndex((n) => n.name === name);
      if (index < 0) throw new UserError(`There is no node called ${name} in the inventory.`);
      const node = validNode({ ...data.nodes[index]!, ...patch });
      if (node.name !== name && data.nodes.some((n) => n.name === node.name)) throw new UserError(`Cannot rename ${name} to ${node.name}: there is already a node called ${node.name}.`);
      data.nodes[index] = node;
      return copy(node);
    });
  }

  /** False when there was no such node (nothing changes). */
  remove(name: string): Promise<boolean> {
    return this.change((data) => {
      const before = data.nodes.length;
      data.nodes = data.nodes.filter((n) => n.name !== name);
      return data.nodes.length !== before;
    });
  }

  /**
   * Adds imported nodes. A node whose name is taken is kept as it is unless
   * `replace`; when replaced, a MAC or supply Bramble knows and the file does
   * not is kept. Every node not added or updated is in `skipped` with a reason.
   */
  merge(imported: FleetNodeInput[], options: MergeOptions = {}): Promise<MergeResult> {
    return this.change((data) => {
      const result: MergeResult = { added: [], updated: [], skipped: [] };
      const seen = new Set<string>();
      for (const input of imported) {
        const label = typeof input?.name === 'string' ? input.name : JSON.stringify(input?.name);
        const parsed = FleetNodeSchema.safeParse(input);
        if (!parsed.success) {
          result.skipped.push({ entry: label, reason: issueText(parsed.error) });
          continue;
        }
        const node = parsed.data;
        if (seen.has(node.name)) {
          result.skipped.push({ entry: node.name, reason: 'listed more than once in the import; the first one was used' });
          continue;
        }
        seen.add(node.name);
        const index = data.nodes.findIndex((n) => n.name === node.name);
        if (index < 0) {
          data.nodes.push(node);
          result.added.push(node.name);
          continue;
        }
        const existing = data.nodes[index]!;
        const merged: FleetNode = { ...node, ...(node.mac ?? existing.mac ? { mac: node.mac ?? existing.mac } : {}), ...(node.supply ?? existing.supply ? { supply: node.supply ?? existing.supply } : {}) };
        if (same(existing, merged)) result.skipped.push({ entry: node.name, reason: 'already in the inventory with the same settings' });
        else if (!options.replace) result.skipped.push({ entry: node.name, reason: 'a node with this name is already in the inventory (import with "replace" to overwrite it)' });
        else {
          data.nodes[index] = merged;
          result.updated.push(node.name);
        }
      }
      for (const [group, vars] of Object.entries(options.groupVars ?? {})) {
        if (!GroupNameSchema.safeParse(group).success) {
          result.skipped.push({ entry: `group ${JSON.stringify(group)}`, reason: 'not a usable group name' });
          continue;
        }
        const current = (data.groupVars[group] ??= {});
        for (const [key, value] of Object.entries(vars)) {
          if (key in current && !options.replace) {
            if (!same(current[key], value)) result.skipped.push({ entry: `group ${group}: ${key}`, reason: 'the group already has this variable with another value (import with "replace" to overwrite it)' });
          } else current[key] = value;
        }
        if (!Object.keys(current).length) delete data.groupVars[group];
      }
      for (const [group, children] of Object.entries(options.groupChildren ?? {})) {
        if (IMPLICIT_GROUPS.has(group) || !GroupNameSchema.safeParse(group).success) continue;
        const current = new Set(data.groupChildren[group] ?? []);
        for (const child of children) if (GroupNameSchema.safeParse(child).success && child !== group) current.add(child);
        data.groupChildren[group] = [...current];
      }
      return result;
    });
  }

  /** Replaces one group's vars (empty removes them). */
  setGroupVars(group: string, vars: Record<string, unknown>): Promise<void> {
    return this.change((data) => {
      if (!GroupNameSchema.safeParse(group).success) throw new UserError(`"${group}" is not a usable group name (letters, digits, _ and -).`);
      if (Object.keys(vars).length) data.groupVars[group] = structuredClone(vars);
      else delete data.groupVars[group];
    });
  }

  /**
   * Runs one change on a copy, saves it, then makes it current and tells
   * listeners. Changes run one after another so none is lost, and a change
   * that fails (bad input, disk full) leaves the inventory as it was.
   */
  private change<T>(apply: (data: InventoryFile) => T): Promise<T> {
    const run = async (): Promise<T> => {
      const next = structuredClone(this.data);
      const result = apply(next);
      if (!same(next, this.data)) {
        await this.store.save(next);
        this.data = next;
        const nodes = this.list();
        for (const listener of this.listeners) listener(nodes);
      }
      return result;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function validNode(input: unknown): FleetNode {
  const parsed = FleetNodeSchema.safeParse(input);
  if (!parsed.success) {
    const name = (input as { name?: unknown })?.name;
    throw new UserError(`${typeof name === 'string' && name ? `Node ${JSON.stringify(name)}` : 'The node'} cannot be saved: ${issueText(parsed.error)}.`);
  }
  for (const g of parsed.data.groups) {
    if (IMPLICIT_GROUPS.has(g)) throw new UserError(`"${g}" is a group every node is in already; it cannot be listed in a node's groups.`);
  }
  return { ...parsed.data, groups: [...new Set(parsed.data.groups)] };
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

const copy = (node: FleetNode): FleetNode => structuredClone(node);
/** Equal as JSON, whatever the key order. */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b));
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortedKeys(v)]));
  return value;
}
