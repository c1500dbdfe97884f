// The fleet service against 8 real sshd nodes: one connection each, red when a
// node drops, green when it returns, host keys verified, failures isolated.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeState, NodeStatus } from '../../shared/fleet';
import { Credentials } from '../../electron/services/fleet/credentials';
import { FleetService, hostKeyNames } from '../../electron/services/fleet/fleet-service';
import { KnownHosts } from '../../electron/services/fleet/known-hosts';
import { startFleet, type FakeNode, type Fleet } from '../fleet/fleet.js';
import { fakeNodeEntry, ListInventory } from '../support/list-inventory';
import { generateEd25519 } from '../../electron/services/ssh/ed25519';

let fleet: Fleet;
let dir: string;
const services: FleetService[] = [];

beforeAll(async () => {
  fleet = await startFleet({ nodes: 8, rebootDelayMs: 800 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-fleet-conn-'));
});

afterAll(async () => {
  for (const s of services) s.stop();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const nodeEntry = (n: FakeNode, keyPath = fleet.clientKeyPath) => fakeNodeEntry(n, keyPath);

async function service(nodes: FakeNode[], opts: { seed?: boolean; acceptNew?: boolean; keyPath?: string } = {}) {
  const known = new KnownHosts(path.join(mkdtempSync(path.join(dir, 'kh-')), 'known_hosts'));
  if (opts.seed !== false) for (const n of nodes) await known.set(hostKeyNames({ name: n.name, host: n.host, port: n.port, user: n.user }), n.hostKeyPublic);
  const inventory = new ListInventory(nodes.map((n) => nodeEntry(n, opts.keyPath)));
  const s = new FleetService({ inventory, knownHosts: known, credentials: new Credentials(undefined, undefined), acceptNew: opts.acceptNew, vitalsIntervalMs: 0 });
  services.push(s);
  s.start();
  return { s, known, inventory };
}

function waitFor(s: FleetService, name: string, status: NodeStatus, timeoutMs: number): Promise<NodeState> {
  const now = s.stateOf(name);
  if (now?.status === status) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off('state', on);
      reject(new Error(`${name} was not ${status} within ${timeoutMs} ms (it is ${s.stateOf(name)?.status}: ${s.stateOf(name)?.detail})`));
    }, timeoutMs);
    const on = (st: NodeState) => {
      if (st.name === name && st.status === status) {
        clearTimeout(timer);
        s.off('state', on);
        resolve(st);
      }
    };
    s.on('state', on);
  });
}

describe('fleet connections', () => {
  it('brings 8 nodes online, marks a killed node offline within 3 s and online again within 3 s of its sshd answering', async () => {
    const { s } = await service(fleet.nodes);
    await Promise.all(fleet.nodes.map((n) => waitFor(s, n.name, 'online', 10_000)));
    expect(s.states().map((st) => st.status)).toEqual(Array(8).fill('online'));

    const victim = fleet.nodes[2]!;
    const killedAt = Date.now();
    const offline = waitFor(s, victim.name, 'offline', 3000);
    await victim.kill();
    await offline;
    expect(Date.now() - killedAt).toBeLessThan(3000);
    // Others unaffected.
    expect(s.states().filter((st) => st.status === 'online')).toHaveLength(7);

    await new Promise((r) => setTimeout(r, 2500)); // let the backoff grow to its cap
    const online = waitFor(s, victim.name, 'online', 6000);
    await victim.restart(); // resolves when port 22 listens
    const answeredAt = Date.now();
    await online;
    expect(Date.now() - answeredAt).toBeLessThan(3000);
    const r = await s.execFor(victim.name).exec('hostname');
    expect(r.stdout.trim()).toBe(victim.name);
    s.stop();
  });

  it('notices a frozen node by keepalive while the others keep answering', async () => {
    const { s } = await service(fleet.nodes.slice(0, 3));
    await Promise.all(fleet.nodes.slice(0, 3).map((n) => waitFor(s, n.name, 'online', 10_000)));
    const frozen = fleet.nodes[1]!;
    const offline = waitFor(s, frozen.name, 'offline', 8000);
    await frozen.freeze();
    try {
      const st = await offline;
      expect(st.detail).toMatch(/keepalive|answer/);
      const other = await s.execFor(fleet.nodes[0]!.name).exec('echo still-here');
      expect(other.stdout.trim()).toBe('still-here');
      expect(s.stateOf(fleet.nodes[2]!.name)!.status).toBe('online');
    } finally {
      await frozen.resume();
    }
    await waitFor(s, frozen.name, 'online', 10_000);
    s.stop();
  });

  it('refuses a node whose host key changed until the user trusts the new key', async () => {
    const node = fleet.nodes[3]!;
    const { s, known } = await service([node]);
    await waitFor(s, node.name, 'online', 10_000);
    s.stop();

    await node.regenerateHostKey();
    await node.restart();
    const { s: s2, known: known2 } = await service([node], { seed: false });
    // Seed the old key into the second service's known_hosts: the node now presents another one.
    const oldKeys = known.keysFor(node.name);
    expect(oldKeys).toHaveLength(1);
    await known2.set(hostKeyNames({ name: node.name, host: node.host, port: node.port, user: node.user }), oldKeys[0]!);
    s2.reconnect(node.name);
    const refused = await waitFor(s2, node.name, 'host-key-mismatch', 10_000);
    expect(refused.presentedFingerprint).toBe(node.hostKeyFingerprint);
    expect(refused.detail).toMatch(/reflashed/);
    // It stays refused: no silent retry turns it green.
    await new Promise((r) => setTimeout(r, 1500));
    expect(s2.stateOf(node.name)!.status).toBe('host-key-mismatch');
    await expect(s2.trust(node.name, 'SHA256:not-what-the-user-saw')).rejects.toThrow(/not the key you confirmed/);

    await s2.trust(node.name, node.hostKeyFingerprint);
    await waitFor(s2, node.name, 'online', 10_000);
    expect(known2.keysFor(node.name)).toEqual([node.hostKeyPublic.split(/\s+/).slice(0, 2).join(' ')]);
    s2.stop();
  });

  it('asks about an unknown host key, and trusts it on first contact only with accept-new', async () => {
    const node = fleet.nodes[4]!;
    const { s } = await service([node], { seed: false });
    const st = await waitFor(s, node.name, 'host-key-unknown', 10_000);
    expect(st.presentedFingerprint).toBe(node.hostKeyFingerprint);
    s.stop();

    const { s: s2, known } = await service([node], { seed: false, acceptNew: true });
    await waitFor(s2, node.name, 'online', 10_000);
    expect(known.keysFor(node.name)).toHaveLength(1);
    s2.stop();
  });

  it('reports auth-failed for a key the node does not accept, and does not hammer it', async () => {
    const node = fleet.nodes[5]!;
    const wrong = path.join(dir, 'wrong_ed25519');
    writeFileSync(wrong, generateEd25519().privateKey, { mode: 0o600 });
    const { s } = await service([node], { keyPath: wrong });
    const st = await waitFor(s, node.name, 'auth-failed', 10_000);
    expect(st.detail).toMatch(/refused/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.stateOf(node.name)!.status).toBe('auth-failed');
    s.stop();
  });

  it('runs a command on all nodes; a node dying mid-command fails alone and the others keep their output', async () => {
    const nodes = fleet.nodes.slice(0, 6);
    const { s } = await service(nodes);
    await Promise.all(nodes.map((n) => waitFor(s, n.name, 'online', 10_000)));
    const dying = nodes[4]!;
    const streamed = new Map<string, string>();
    const run = s.run({
      nodes: nodes.map((n) => n.name),
      command: 'hostname; sleep 2; echo done',
      timeoutMs: 20_000,
      concurrency: 6,
      onOutput: (node, _stream, chunk) => streamed.set(node, (streamed.get(node) ?? '') + chunk),
    });
    await new Promise((r) => setTimeout(r, 700));
    await dying.kill();
    const results = await run;
    for (const r of results) {
      if (r.node === dying.name) {
        expect(r.status).toBe('lost');
        expect(r.error).toMatch(/closed before the command finished/);
      } else {
        expect(r.status).toBe('ok');
        expect(r.stdout).toBe(`${r.node}\ndone\n`);
        expect(streamed.get(r.node)).toBe(`${r.node}\ndone\n`);
      }
    }
    // A timeout is its own outcome.
    await dying.restart();
    await waitFor(s, dying.name, 'online', 6000);
    const [slow] = await s.run({ nodes: [nodes[0]!.name], command: 'sleep 5', timeoutMs: 500 });
    expect(slow!.status).toBe('timeout');
    s.stop();
  });

  it('reboots a node and waits until it is back', async () => {
    const node = fleet.nodes[6]!;
    const { s } = await service([node]);
    await waitFor(s, node.name, 'online', 10_000);
    const bootsBefore = node.boots;
    const seen: string[] = [];
    s.on('state', (st: NodeState) => seen.push(`${st.status}:${st.detail ?? ''}`));
    await s.reboot(node.name, 30_000);
    expect(node.boots).toBe(bootsBefore + 1);
    expect(seen.some((x) => x.startsWith('offline:rebooting'))).toBe(true);
    expect(s.stateOf(node.name)!.status).toBe('online');
    expect(s.stateOf(node.name)!.detail).toMatch(/back after the reboot/);
    s.stop();
  });

  it('follows inventory edits: a removed node is dropped, an added one connects', async () => {
    const [a, b] = [fleet.nodes[0]!, fleet.nodes[7]!];
    const { s, inventory } = await service([a]);
    await waitFor(s, a.name, 'online', 10_000);
    inventory.set([nodeEntry(b)]);
    expect(s.stateOf(a.name)).toBeUndefined();
    // b's key is not seeded in this service: it asks.
    await waitFor(s, b.name, 'host-key-unknown', 10_000);
    s.stop();
  });
});
