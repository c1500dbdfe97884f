// bench:fleet: on 64 fake nodes, side by side in one run:
//  - kill → offline: Bramble's offline event against an `ssh` session with
//    ServerAliveInterval 1 / CountMax 3 exiting;
//  - restart → online: Bramble's online event against the usual
//    `until ssh … true; do sleep 1; done` loop succeeding;
//  - run-on-all of `true`: Bramble over its held connections against `ssh` to
//    every node in a parallel shell loop.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NodeState } from '../shared/fleet';
import { Credentials } from '../electron/services/fleet/credentials';
import { FleetService, hostKeyNames } from '../electron/services/fleet/fleet-service';
import { KnownHosts } from '../electron/services/fleet/known-hosts';
import { startFleet, type FakeNode } from '../test/fleet/fleet';
import { fakeNodeEntry, ListInventory } from '../test/support/list-inventory';
import { median, writeResults } from './lib';

const NODES = 64;
const ROUNDS = 3;

const fleet = await startFleet({ nodes: NODES });
const dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-bench-fleet-'));
const sshArgs = (n: FakeNode, ...extra: string[]) => ['-F', fleet.sshConfigPath, '-o', 'BatchMode=yes', ...extra, n.name];

try {
  const known = new KnownHosts(path.join(dir, 'known_hosts'));
  for (const n of fleet.nodes) await known.set(hostKeyNames(n), n.hostKeyPublic);
  const service = new FleetService({
    inventory: new ListInventory(fleet.nodes.map((n) => fakeNodeEntry(n, fleet.clientKeyPath))),
    knownHosts: known,
    credentials: new Credentials(undefined, undefined),
    vitalsIntervalMs: 0,
  });
  service.start();
  await service.settled(undefined, 60_000);

  const waitState = (name: string, status: string) =>
    new Promise<number>((resolve) => {
      const on = (s: NodeState) => {
        if (s.name === name && s.status === status) {
          service.off('state', on);
          resolve(performance.now());
        }
      };
      service.on('state', on);
    });

  const rows: Record<string, { bramble: number[]; ssh: number[] }> = {
    'kill → offline': { bramble: [], ssh: [] },
    'restart → online': { bramble: [], ssh: [] },
    [`run \`true\` on ${NODES}`]: { bramble: [], ssh: [] },
  };

  for (let round = 0; round < ROUNDS; round++) {
    const victim = fleet.nodes[round]!;
    // The OpenSSH side: a held session that should notice the node is gone.
    const session = spawn('ssh', sshArgs(victim, '-o', 'ServerAliveInterval=1', '-o', 'ServerAliveCountMax=3', '-tt'), { stdio: ['pipe', 'ignore', 'ignore'] });
    await new Promise((r) => setTimeout(r, 1500));
    const sshGone = new Promise<number>((resolve) => session.on('exit', () => resolve(performance.now())));
    const brambleOffline = waitState(victim.name, 'offline');
    const killedAt = performance.now();
    await victim.kill();
    rows['kill → offline']!.bramble.push((await brambleOffline) - killedAt);
    rows['kill → offline']!.ssh.push((await sshGone) - killedAt);

    // Both sides start looking while the node is down, as a user would.
    await new Promise((r) => setTimeout(r, 2500));
    const brambleOnline = waitState(victim.name, 'online');
    const loop = spawn('bash', ['-c', `until ssh ${sshArgs(victim, '-o', 'ConnectTimeout=1').map((a) => `'${a}'`).join(' ')} true 2>/dev/null; do sleep 1; done`]);
    const loopDone = new Promise<number>((resolve) => loop.on('exit', () => resolve(performance.now())));
    await victim.restart(); // resolves when its port answers
    const answeredAt = performance.now();
    rows['restart → online']!.bramble.push((await brambleOnline) - answeredAt);
    rows['restart → online']!.ssh.push((await loopDone) - answeredAt);

    const t0 = performance.now();
    const results = await service.run({ nodes: fleet.nodes.map((n) => n.name), command: 'true', timeoutMs: 60_000, concurrency: NODES });
    rows[`run \`true\` on ${NODES}`]!.bramble.push(performance.now() - t0);
    if (results.some((r) => r.status !== 'ok')) throw new Error('a Bramble run failed');
    const t1 = performance.now();
    const loopAll = spawnSync('bash', ['-c', `for n in ${fleet.nodes.map((n) => n.name).join(' ')}; do ssh -F '${fleet.sshConfigPath}' -o BatchMode=yes "$n" true & done; wait`]);
    rows[`run \`true\` on ${NODES}`]!.ssh.push(performance.now() - t1);
    if (loopAll.status !== 0) throw new Error(`the ssh loop failed: ${loopAll.stderr}`);
  }
  service.stop();

  const ms = (v: number) => `${Math.round(v)}`;
  const lines = Object.entries(rows).map(([name, r]) => `| ${name} | ${ms(median(r.bramble))} | ${ms(median(r.ssh))} | ${(median(r.bramble) / median(r.ssh)).toFixed(2)}x | ${r.bramble.map(ms).join(', ')} / ${r.ssh.map(ms).join(', ')} |`);
  const body = [
    `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${NODES} fake nodes (real sshd on loopback), ${ROUNDS} rounds. Baselines: OpenSSH \`ssh\` (ServerAliveInterval 1 x 3 for the drop; an \`until ssh … true; do sleep 1; done\` loop for the return; \`ssh node true &\` for every node then \`wait\` for the run).`,
    '',
    '| case | Bramble ms | ssh ms | ratio | all runs (Bramble / ssh) |',
    '|---|---|---|---|---|',
    ...lines,
  ].join('\n');
  console.log(body);
  writeResults('fleet', body);
} finally {
  await fleet.stop();
  rmSync(dir, { recursive: true, force: true });
}
