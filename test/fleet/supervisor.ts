// The detached process that owns a hand-run fleet: starts it, publishes
// state.json and an ssh_config, answers the CLI over the control socket, and
// stops the fleet on `down` or on SIGTERM/SIGINT/SIGHUP. If it is killed
// outright, the nodes die with it (setpriv --pdeathsig) and the next `up` or
// `down` cleans the rest.
import { rmSync, writeFileSync } from 'node:fs';
import { cliPaths, serve, writeJsonAtomic, type FleetState, type NodeInfo, type Request } from './control.js';
import { startFleet, type FakeNode, type Fleet, type FleetOptions } from './fleet.js';
import { startTime } from './procs.js';

function nodeInfo(n: FakeNode): NodeInfo {
  return {
    name: n.name,
    host: n.host,
    port: n.port,
    user: n.user,
    hostKeyPublic: n.hostKeyPublic,
    hostKeyFingerprint: n.hostKeyFingerprint,
    running: n.running,
    frozen: n.frozen,
    pid: n.pid,
    boots: n.boots,
  };
}

function num(v: string | undefined, what: string): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n)) throw new Error(`${what} needs a number, got ${v}`);
  return n;
}

export async function runSupervisor(opts: FleetOptions): Promise<void> {
  const paths = cliPaths();
  const fleet: Fleet = await startFleet(opts);
  let server: ReturnType<typeof serve> | undefined;
  const startedAt = new Date().toISOString();

  const publish = () => {
    const state: FleetState = {
      pid: process.pid,
      start: startTime(process.pid),
      startedAt,
      slot: fleet.slot,
      dir: fleet.dir,
      user: fleet.user,
      clientKeyPath: fleet.clientKeyPath,
      sshConfigPath: paths.sshConfig,
      knownHostsPath: fleet.knownHostsPath,
      inventoryPath: fleet.inventoryPath,
      socket: paths.socket,
      nodes: fleet.nodes.map(nodeInfo),
    };
    writeJsonAtomic(paths.state, state);
  };

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      server?.close();
      await fleet.stop();
      for (const p of [paths.state, paths.sshConfig, paths.socket]) rmSync(p, { force: true });
    })().finally(() => process.exit(0));
    return stopping;
  };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void shutdown());

  const handle = async (req: Request): Promise<unknown> => {
    if (req.op === 'status') return fleet.nodes.map(nodeInfo);
    if (req.op === 'down') {
      setImmediate(() => void shutdown());
      return 'stopping';
    }
    const node = fleet.node(req.node ?? '');
    const [a, b] = req.args ?? [];
    switch (req.op) {
      case 'set':
        switch (a) {
          case 'throttled':
            await node.setThrottled(/^0x/i.test(b ?? '') ? b! : num(b, 'throttled'));
            break;
          case 'temp':
            await node.setTemp(num(b, 'temp'));
            break;
          case 'volts':
            await node.setVolts(num(b, 'volts'));
            break;
          case 'ext5v':
            await node.setExt5V(num(b, 'ext5v'));
            break;
          case 'model':
            await node.setModel(b ?? 'pi4');
            break;
          case 'sudo-password':
            await node.setSudoPassword(b === undefined || b === '' || b === 'none' ? null : b);
            break;
          case 'apt-delay':
            await node.setAptDelay(num(b, 'apt-delay'));
            break;
          default:
            throw new Error(`unknown setting ${a} (throttled, temp, volts, ext5v, model, sudo-password, apt-delay)`);
        }
        return 'ok';
      case 'journal':
        await node.appendJournal({
          message: a ?? '',
          unit: req.opts?.unit,
          priority: req.opts?.priority === undefined ? undefined : num(req.opts.priority, 'priority'),
        });
        return 'ok';
      case 'kernel':
        await node.appendKernel(a ?? '');
        return 'ok';
      case 'kill':
        await node.kill();
        return nodeInfo(node);
      case 'freeze':
        await node.freeze();
        return nodeInfo(node);
      case 'resume':
        await node.resume();
        return nodeInfo(node);
      case 'restart':
        await node.restart();
        return nodeInfo(node);
      case 'stop':
        await node.stop();
        return nodeInfo(node);
      case 'regen-hostkey':
        await node.regenerateHostKey();
        publish();
        return nodeInfo(node);
      case 'commands':
        return node.recordedCommands();
      case 'packages':
        return node.installedPackages();
      default:
        throw new Error(`unknown operation ${req.op}`);
    }
  };

  rmSync(paths.socket, { force: true });
  server = serve(paths.socket, handle);
  // The fixed ssh_config follows the fleet's own (which tracks host key changes).
  writeFileSync(paths.sshConfig, `# Bramble fake Pi fleet (slot ${fleet.slot}); ssh -F ${paths.sshConfig} node-01\nInclude ${fleet.sshConfigPath}\n`);
  publish();
  // Nodes that reboot themselves change pid and boot count; keep state.json current.
  for (const n of fleet.nodes) {
    n.on('up', publish);
    n.on('down', publish);
  }
}
