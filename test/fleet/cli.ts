// Hand-run fake Pi fleet, for trying Bramble against "real" nodes:
//
//   npm run fleet -- up 8 [--prefix node-] [--model pi5] [--reboot-delay 3000] [--user bramble-pi]
//   npm run fleet -- status [--json]
//   ssh -F /tmp/bramble-fleet/ssh_config node-01
//   npm run fleet -- set node-03 throttled 0x50005      (temp 71.5, volts 0.8, ext5v 4.8, model pi5,
//                                                        sudo-password raspberry|none, apt-delay 2000)
//   npm run fleet -- journal node-03 "disk full" [--unit ssh.service] [--priority 3]
//   npm run fleet -- kernel node-03 "hwmon hwmon1: Undervoltage detected!"
//   npm run fleet -- kill|freeze|resume|restart|stop|regen-hostkey node-03
//   npm run fleet -- commands node-03 | packages node-03
//   npm run fleet -- down
//   npm run fleet -- remove-user [bramble-pi]      (the account is otherwise kept for reuse)
//
// `up` starts a detached supervisor (supervisor.ts) that owns the nodes and keeps
// running after the command returns; state is in <tmpdir>/bramble-fleet/.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliPaths, readState, request, type FleetState, type NodeInfo } from './control.js';
import type { FleetOptions } from './fleet.js';
import { isAlive, sleep, startTime } from './procs.js';
import { cleanupDeadFleet, removeStaleSlot } from './slots.js';
import { runSupervisor } from './supervisor.js';
import { DEFAULT_FLEET_USER, removeFleetUser } from './users.js';

const USAGE = `usage: npm run fleet -- <command>
  up [N] [--prefix P] [--model pi4|pi5] [--reboot-delay MS] [--user NAME]   start N nodes (default 8)
  status [--json]                    nodes, addresses, users, keys
  down                               stop the fleet, leave nothing behind
  set NODE KEY VALUE                 throttled|temp|volts|ext5v|model|sudo-password|apt-delay
  journal NODE MESSAGE [--unit U] [--priority P]
  kernel NODE LINE
  kill|freeze|resume|restart|stop|regen-hostkey NODE
  commands NODE | packages NODE
  remove-user [NAME]                 delete the fleet's unix account (when no fleet uses it)`;

class UsageError extends Error {}

function parse(argv: string[]): { pos: string[]; opts: Record<string, string>; flags: Set<string> } {
  const pos: string[] = [];
  const opts: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json' || a === '--help' || a === '-h') flags.add(a);
    else if (a.startsWith('--')) {
      const [k, v] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), argv[++i]];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      opts[k] = v;
    } else pos.push(a);
  }
  return { pos, opts, flags };
}

function liveState(): FleetState | undefined {
  const s = readState();
  if (s && isAlive(s.pid) && (s.start === undefined || startTime(s.pid) === s.start)) return s;
  return undefined;
}

/** A state.json whose supervisor is gone: kill what is left of its fleet and forget it. */
function cleanupStale(): void {
  const s = readState();
  if (!s || liveState()) return;
  cleanupDeadFleet(s.dir);
  removeStaleSlot(s.slot);
  const p = cliPaths();
  for (const f of [p.state, p.sshConfig, p.socket]) rmSync(f, { force: true });
}

function printNodes(s: FleetState, nodes: NodeInfo[], footer = true): void {
  const w = Math.max(...nodes.map((n) => n.name.length), 4);
  console.log(`${'NODE'.padEnd(w)}  ${'ADDRESS'.padEnd(15)}  ${'USER'.padEnd(12)}  STATE     HOST KEY`);
  for (const n of nodes) {
    const state = n.running === undefined ? '' : n.frozen ? 'frozen' : n.running ? 'up' : 'down';
    console.log(`${n.name.padEnd(w)}  ${`${n.host}:${n.port}`.padEnd(15)}  ${n.user.padEnd(12)}  ${state.padEnd(8)}  ${n.hostKeyFingerprint}`);
  }
  if (!footer) return;
  console.log('');
  console.log(`client key:   ${s.clientKeyPath}`);
  console.log(`ssh config:   ssh -F ${s.sshConfigPath} ${nodes[0]?.name ?? 'node-01'}`);
  console.log(`known_hosts:  ${s.knownHostsPath}`);
  console.log(`ansible:      ansible -i ${s.inventoryPath} all -m ping`);
  console.log(`state:        ${cliPaths().state} (supervisor pid ${s.pid}, slot ${s.slot})`);
}

async function up(pos: string[], opts: Record<string, string>): Promise<void> {
  cleanupStale();
  const running = liveState();
  if (running) throw new Error(`a fleet is already up (slot ${running.slot}, supervisor pid ${running.pid}); run \`npm run fleet -- down\` first`);
  const n = Number(pos[0] ?? 8);
  if (!Number.isInteger(n) || n < 1 || n > 250) throw new UsageError(`N must be 1..250, got ${pos[0]}`);
  const fleetOpts: FleetOptions = {
    nodes: n,
    namePrefix: opts.prefix,
    model: opts.model,
    user: opts.user,
    rebootDelayMs: opts['reboot-delay'] === undefined ? undefined : Number(opts['reboot-delay']),
  };
  const paths = cliPaths();
  const log = openSync(paths.log, 'w');
  // The same node and loader flags (tsx) as this process, detached into its own session.
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '__supervise', JSON.stringify(fleetOpts)], {
    detached: true,
    stdio: ['ignore', log, log],
    cwd: '/',
  });
  closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 30_000 + n * 500;
  for (;;) {
    const s = readState();
    if (s && s.pid === child.pid) {
      child.unref();
      printNodes(s, s.nodes);
      return;
    }
    if (exited || Date.now() > deadline) {
      if (!exited) child.kill('SIGTERM');
      throw new Error(`the fleet did not start; supervisor log ${paths.log}:\n${readFileSync(paths.log, 'utf8').trim().split('\n').slice(-20).join('\n')}`);
    }
    await sleep(50);
  }
}

async function down(): Promise<void> {
  const s = liveState();
  if (!s) {
    cleanupStale();
    console.log('no fleet is up');
    return;
  }
  try {
    await request(s.socket, { op: 'down' });
  } catch {
    process.kill(s.pid, 'SIGTERM');
  }
  const deadline = Date.now() + 20_000;
  while (isAlive(s.pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(s.pid)) process.kill(s.pid, 'SIGKILL');
  cleanupStale();
  rmSync(cliPaths().log, { force: true });
  console.log(`fleet in slot ${s.slot} stopped`);
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd === '__supervise') return runSupervisor(JSON.parse(rest[0] ?? '{}') as FleetOptions);
  const { pos, opts, flags } = parse(rest);
  if (!cmd || flags.has('--help') || flags.has('-h') || cmd === 'help') {
    console.log(USAGE);
    return;
  }
  switch (cmd) {
    case 'up':
      return up(pos, opts);
    case 'down':
      return down();
    case 'remove-user':
      if (liveState()) throw new Error('a fleet is up; run down first');
      console.log(removeFleetUser(pos[0] ?? DEFAULT_FLEET_USER) ? 'removed' : 'no such fleet user');
      return;
  }
  const s = liveState();
  if (!s) throw new Error('no fleet is up; run `npm run fleet -- up 8`');
  if (cmd === 'status') {
    const nodes = (await request(s.socket, { op: 'status' })) as NodeInfo[];
    if (flags.has('--json')) console.log(JSON.stringify({ ...s, nodes }, null, 2));
    else printNodes(s, nodes);
    return;
  }
  const [node, ...args] = pos;
  if (!node) throw new UsageError(`${cmd} needs a node name`);
  const result = await request(s.socket, { op: cmd, node, args, opts });
  if (cmd === 'commands') for (const argv of result as string[][]) console.log(argv.join(' '));
  else if (cmd === 'packages') console.log((result as string[]).join('\n'));
  else if (typeof result === 'object' && result) printNodes(s, [result as NodeInfo], false);
  else console.log(result);
}

// `npm run fleet -- status | head` closes our stdout early: not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).catch((err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  console.error(`fleet: ${msg.replace(/^fleet: /, '')}`);
  if (err instanceof UsageError) console.error(USAGE);
  process.exit(err instanceof UsageError ? 2 : 1);
});
