// Connecting the CLI to the nodes a command is about: one node for a one-off
// connection (first contact, trust, logs), or a group of the inventory.
import type { FleetNode } from '../../shared/fleet';
import type { Services } from '../services';
import { FleetService, type InventorySource } from '../services/fleet/fleet-service';
import { UserError } from '../services/user-error';

export function singleNodeFleet(services: Services, node: FleetNode, acceptNew = false): FleetService {
  const only: InventorySource = { list: () => [node], get: (n) => (n === node.name ? node : undefined), onChange: () => () => {} };
  const fleet = new FleetService({ inventory: only, knownHosts: services.knownHosts, credentials: services.credentials, acceptNew, vitalsIntervalMs: 0 });
  fleet.start();
  return fleet;
}

/** Connects to one inventory node and fails with the reason when it does not come online. */
export async function connectOne(services: Services, name: string, timeoutMs = 15_000): Promise<FleetService> {
  const node = services.inventory.get(name);
  if (!node) throw new UserError(`There is no node called ${name} in the fleet.`);
  const fleet = singleNodeFleet(services, node);
  const [state] = await fleet.settled([name], timeoutMs);
  if (state?.status !== 'online') {
    fleet.stop();
    throw new UserError(`${name} is ${state?.status ?? 'unreachable'}${state?.detail ? ` (${state.detail})` : ''}.`);
  }
  return fleet;
}

/** Inventory nodes in `group` (all without one), optionally only those named, then connected; resolves with their states. */
export async function connectSelected(services: Services, o: { group?: string; only?: string[]; timeoutMs?: number }) {
  const names = services.inventory
    .list()
    .filter((n) => (!o.group || n.groups.includes(o.group)) && (!o.only || o.only.includes(n.name)))
    .map((n) => n.name);
  services.fleet.start();
  const states = await services.fleet.settled(names, o.timeoutMs ?? 15_000);
  return { names, states };
}
