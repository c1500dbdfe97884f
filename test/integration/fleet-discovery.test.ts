// Boards Bramble flashed join the fleet when they boot: found as NAME.local over
// mDNS (a real multicast-dns responder on loopback stands in for the board's
// avahi) or at an address the user adds, and adopted only when the host key put
// on the card answers.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import makeMdns from 'multicast-dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoticeBoard } from '../../electron/services/app/notice-board';
import { Credentials } from '../../electron/services/fleet/credentials';
import { KnownHosts } from '../../electron/services/fleet/known-hosts';
import { MdnsResolver } from '../../electron/services/fleet/mdns-resolver';
import { PendingDiscovery } from '../../electron/services/fleet/pending-discovery';
import { PendingNodes } from '../../electron/services/fleet/pending-nodes';
import { generateEd25519 } from '../../electron/services/ssh/ed25519';
import { startFleet, type FakeNode, type Fleet } from '../fleet/fleet.js';
import { ListInventory } from '../support/list-inventory';
import { LOOPBACK_MDNS } from '../support/mdns';

const MDNS = LOOPBACK_MDNS;

let fleet: Fleet;
let dir: string;
let responder: makeMdns.MulticastDNS;
const announced = new Map<string, string>();

beforeAll(async () => {
  fleet = await startFleet({ nodes: 3 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-discovery-'));
  responder = makeMdns(MDNS);
  responder.on('query', (q) => {
    for (const question of q.questions) {
      const address = announced.get(question.name);
      if (question.type === 'A' && address) responder.respond({ answers: [{ name: question.name, type: 'A', ttl: 120, data: address }] });
    }
  });
});

afterAll(async () => {
  responder?.destroy();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(flashed: FakeNode[], recordedKey: (n: FakeNode) => string = (n) => n.hostKeyPublic) {
  const data = mkdtempSync(path.join(dir, 'data-'));
  const notices = new NoticeBoard(() => {});
  const pending = new PendingNodes(data, notices);
  const known = new KnownHosts(path.join(data, 'known_hosts'));
  // What flashing leaves behind: the card's host key under the node's name, and a pending entry.
  for (const n of flashed) await known.set([n.name, `${n.name}.local`], recordedKey(n));
  await pending.add(flashed.map((n) => ({ name: n.name, user: n.user, hostKeyFingerprint: n.hostKeyFingerprint, image: 'raspios.img.xz', writtenAt: new Date().toISOString(), card: '/dev/sdz' })));
  // The cluster key Bramble offered on the cards.
  mkdirSync(path.join(data, 'keys'), { mode: 0o700 });
  const clusterKeyPath = path.join(data, 'keys', 'cluster_ed25519');
  copyFileSync(fleet.clientKeyPath, clusterKeyPath);
  const inventory = new ListInventory([]);
  const discovery = new PendingDiscovery({ pending, inventory, knownHosts: known, credentials: new Credentials(undefined, undefined), resolver: new MdnsResolver(MDNS), clusterKeyPath });
  return { pending, inventory, discovery };
}

describe('pending node discovery', () => {
  it('adopts a flashed board found as NAME.local once its recorded host key answers', async () => {
    const [a, b] = fleet.nodes;
    announced.set(`${a!.name}.local`, a!.host);
    const { pending, inventory, discovery } = await setup([a!, b!]);
    try {
      const joined = await discovery.sweep();
      expect(joined).toEqual([a!.name]);
      expect(inventory.get(a!.name)).toMatchObject({ host: a!.host, user: a!.user, auth: { kind: 'key' } });
      // b has not "booted" (nothing answers for it): it stays pending.
      expect(pending.names()).toEqual([b!.name]);
      expect(discovery.note(b!.name)).toBeUndefined();
    } finally {
      discovery.stop();
      announced.clear();
    }
  });

  it('does not adopt a board that answers to the name with a different host key', async () => {
    const [, , c] = fleet.nodes;
    announced.set(`${c!.name}.local`, c!.host);
    const { pending, inventory, discovery } = await setup([c!], () => generateEd25519().publicKey);
    try {
      expect(await discovery.sweep()).toEqual([]);
      expect(inventory.list()).toEqual([]);
      expect(pending.names()).toEqual([c!.name]);
      expect(discovery.note(c!.name)).toMatch(/different host key/);
    } finally {
      discovery.stop();
      announced.clear();
    }
  });

  it('tries an address the user adds when mDNS finds nothing', async () => {
    const [, b] = fleet.nodes;
    const { inventory, discovery } = await setup([b!]);
    try {
      expect(await discovery.sweep()).toEqual([]);
      expect(await discovery.addAddress(b!.name, b!.host)).toEqual([b!.name]);
      expect(inventory.get(b!.name)?.host).toBe(b!.host);
    } finally {
      discovery.stop();
    }
  });
});
