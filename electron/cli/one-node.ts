// A fleet of one node for a one-off CLI connection (first contact, trust, logs),
// so the command does not connect to every node in the inventory.
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
