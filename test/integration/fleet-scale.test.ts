// 250 real sshd nodes held by one fleet service: all connect, a command reaches
// every one, the process stays up, and its memory is reported.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Credentials } from '../../electron/services/fleet/credentials';
import { FleetService, hostKeyNames } from '../../electron/services/fleet/fleet-service';
import { KnownHosts } from '../../electron/services/fleet/known-hosts';
import { MAX_NODES, startFleet, type Fleet } from '../fleet/fleet.js';
import { fakeNodeEntry, ListInventory } from '../support/list-inventory';

let fleet: Fleet;
let dir: string;
let service: FleetService | undefined;

beforeAll(async () => {
  fleet = await startFleet({ nodes: MAX_NODES });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-fleet-scale-'));
}, 300_000);

afterAll(async () => {
  service?.stop();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('keeps 250 nodes connected, runs a command on all of them, and reports its memory', async () => {
  const known = new KnownHosts(path.join(dir, 'known_hosts'));
  for (const n of fleet.nodes) await known.set(hostKeyNames(n), n.hostKeyPublic);
  const rssBefore = process.memoryUsage().rss;
  service = new FleetService({
    inventory: new ListInventory(fleet.nodes.map((n) => fakeNodeEntry(n, fleet.clientKeyPath))),
    knownHosts: known,
    credentials: new Credentials(undefined, undefined),
    vitalsIntervalMs: 0,
  });
  const started = Date.now();
  service.start();
  const states = await service.settled(undefined, 120_000);
  const connectSeconds = (Date.now() - started) / 1000;
  expect(states.filter((s) => s.status !== 'online').map((s) => `${s.name}: ${s.status} ${s.detail ?? ''}`)).toEqual([]);

  const results = await service.run({ nodes: fleet.nodes.map((n) => n.name), command: 'hostname', timeoutMs: 60_000, concurrency: 64 });
  expect(results.filter((r) => r.status !== 'ok' || r.stdout.trim() !== r.node)).toEqual([]);

  // Held for a few keepalive rounds: nothing drops while idle.
  await new Promise((r) => setTimeout(r, 4000));
  expect(service.states().filter((s) => s.status !== 'online')).toEqual([]);
  const rssMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  console.log(`fleet-scale: 250 nodes online in ${connectSeconds.toFixed(1)} s; RSS grew ${rssMiB.toFixed(0)} MiB (${((rssMiB * 1024) / 250).toFixed(0)} KiB per connection), heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
}, 240_000);
