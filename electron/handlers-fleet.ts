// The channels that reach the fleet's nodes: inventory edits, live state,
// commands, terminals, power and logs. Requests arrive already parsed.
import type { Handlers } from './dispatch';
import type { Services } from './services';
import { UserError } from './services/user-error';

type FleetChannels = Extract<keyof Handlers, `fleet:${string}` | `terminal:${string}` | `power:${string}` | `logs:${string}` | `provision:${string}`>;

export function fleetHandlers(services: Services, shell: { pickPlaybook?: () => Promise<string | undefined> } = {}): Pick<Handlers, FleetChannels> {
  const { fleet, inventory, credentials, runs, terminals } = services;
  return {
    'fleet:states': () => fleet.states(),
    'fleet:nodes': () => inventory.list(),
    'fleet:add': async ({ node, password }) => {
      if (node.auth.kind === 'password') {
        if (!password) throw new UserError(`Enter the password for ${node.name}, or choose a key or ssh-agent instead.`);
        await credentials.savePassword(node.name, password);
      }
      return inventory.add(node);
    },
    'fleet:update': async ({ name, patch, password }) => {
      if (password) await credentials.savePassword(patch.name ?? name, password);
      const updated = await inventory.update(name, patch);
      fleet.reconnect(updated.name);
      return updated;
    },
    'fleet:remove': async ({ name }) => ({ removed: await inventory.remove(name) }),
    'fleet:import': ({ path, defaultUser }) => services.importInventory(path, defaultUser),
    'fleet:export': ({ format }) => services.exportInventory(format),
    'fleet:trust': ({ name, fingerprint }) => fleet.trust(name, fingerprint),
    'fleet:locate': async ({ name, host }) => {
      const joined = await services.discovery.addAddress(name, host);
      return { joined: joined.includes(name), note: services.discovery.note(name) };
    },
    'fleet:reconnect': ({ name }) => {
      fleet.reconnect(name);
      return {};
    },
    'fleet:unlock-key': ({ path, passphrase }) => {
      credentials.unlockKey(path, passphrase);
      for (const n of inventory.list()) if (n.auth.kind === 'key' && n.auth.path === path) fleet.reconnect(n.name);
      return {};
    },
    'fleet:run': (req) => runs.start(req),
    'fleet:cancel-run': ({ runId }) => ({ cancelled: runs.cancel(runId) }),
    'fleet:power': async ({ name, action }) => {
      if (action === 'reboot') {
        // The reply comes once the reboot is under way; the node's state says when it is back.
        await fleet.startReboot(name);
      } else await fleet.shutdown(name);
      return {};
    },
    'power:overview': () => services.power.overview(),
    'power:alerts': () => services.power.alerts(),
    'power:acknowledge': ({ id }) => ({ acknowledged: services.power.acknowledge(id) }),
    'power:history': ({ node, from, to }) => services.power.history(node, from, to),
    'power:timeline': ({ from, to }) => services.power.timeline(from, to),
    'logs:open': (req) => ({ streamId: services.logs.start(req) }),
    'logs:close': ({ streamId }) => {
      services.logs.close(streamId);
      return {};
    },
    'provision:playbooks': () => services.provision.playbooks(),
    'provision:inspect': ({ path }) => services.provision.inspect(path),
    'provision:pick': async () => {
      if (!shell.pickPlaybook) throw new UserError('The file dialog is only available in the desktop app; type or paste the playbook path instead.');
      return { path: await shell.pickPlaybook() };
    },
    'provision:run': (req) => services.provision.start(req),
    'provision:cancel': ({ runId }) => ({ cancelled: services.provision.cancel(runId) }),
    'provision:history': ({ node }) => services.provision.history(node),
    'provision:active': () => services.provision.active(),
    'provision:ansible': () => services.provision.ansible(),
    'provision:export': ({ playbook, nodes, dir }) => services.provision.export(playbook, nodes, dir),
    'terminal:open': async ({ node, cols, rows }) => ({ id: await terminals.open(node, cols, rows) }),
    'terminal:input': ({ id, data }) => {
      terminals.input(id, data);
      return {};
    },
    'terminal:resize': ({ id, cols, rows }) => {
      terminals.resize(id, cols, rows);
      return {};
    },
    'terminal:close': ({ id }) => {
      terminals.close(id);
      return {};
    },
  };
}
