// An inventory held in memory, for tests and benches of the fleet's connections
// (the inventory file has its own tests).
import { EventEmitter } from 'node:events';
import { FleetNodeSchema, type FleetNode, type FleetNodeInput } from '../../shared/fleet';
import type { InventorySource } from '../../electron/services/fleet/fleet-service';
import type { FakeNode } from '../fleet/fleet.js';

export class ListInventory extends EventEmitter implements InventorySource {
  constructor(public nodes: FleetNode[]) {
    super();
  }
  list() {
    return this.nodes;
  }
  get(name: string) {
    return this.nodes.find((n) => n.name === name);
  }
  onChange(listener: () => void) {
    this.on('change', listener);
    return () => this.off('change', listener);
  }
  async add(input: FleetNodeInput): Promise<FleetNode> {
    const node = FleetNodeSchema.parse(input);
    this.set([...this.nodes, node]);
    return node;
  }
  set(nodes: FleetNode[]) {
    this.nodes = nodes;
    this.emit('change');
  }
}

/** The inventory entry for a fake node, logging in with the fleet's client key. */
export function fakeNodeEntry(n: FakeNode, keyPath: string): FleetNode {
  return { name: n.name, host: n.host, port: n.port, user: n.user, auth: { kind: 'key', path: keyPath }, groups: ['pis'], vars: {} };
}
