// The inventory on disk: edits persist, names stay unique, and a damaged
// inventory.json never costs the user their last good fleet.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/contract';
import type { FleetNodeInput } from '../../shared/fleet';
import { Inventory } from '../../electron/services/fleet/inventory';

let dataDir: string;
let notices: Notice[];
const board = { post: (n: Notice) => void notices.push(n) };
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'bramble-inventory-'));
  notices = [];
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const node = (name: string, extra: Partial<FleetNodeInput> = {}): FleetNodeInput => ({ name, host: `${name}.lan`, user: 'pi', auth: { kind: 'agent' }, ...extra });
const file = () => path.join(dataDir, 'inventory.json');

describe('inventory store', () => {
  it('keeps added nodes across restarts, with defaults filled in, readable by the owner only', async () => {
    const inv = new Inventory(dataDir, board);
    const added = await inv.add(node('pi1', { groups: ['workers'] }));
    expect(added).toEqual({ name: 'pi1', host: 'pi1.lan', port: 22, user: 'pi', auth: { kind: 'agent' }, groups: ['workers'], vars: {} });
    await inv.add(node('pi2', { port: 2222, auth: { kind: 'key', path: '/home/u/.ssh/id_ed25519' } }));
    expect(statSync(file()).mode & 0o777).toBe(0o600);

    const again = new Inventory(dataDir, board);
    expect(again.list().map((n) => n.name)).toEqual(['pi1', 'pi2']);
    expect(again.get('pi2')).toMatchObject({ port: 2222, auth: { kind: 'key', path: '/home/u/.ssh/id_ed25519' } });
    expect(notices).toEqual([]);
  });

  it('refuses a second node with the same name but allows the same address twice', async () => {
    const inv = new Inventory(dataDir, board);
    await inv.add(node('pi1'));
    await expect(inv.add(node('pi1', { host: '10.0.0.9' }))).rejects.toThrow('There is already a node called pi1 in the inventory');
    await inv.add(node('pi1b', { host: 'pi1.lan' }));
    expect(inv.list().map((n) => [n.name, n.host])).toEqual([
      ['pi1', 'pi1.lan'],
      ['pi1b', 'pi1.lan'],
    ]);
  });

  it('rejects invalid nodes with the field and the rule, and saves nothing', async () => {
    const inv = new Inventory(dataDir, board);
    await expect(inv.add(node('node 1'))).rejects.toThrow(/Node "node 1" cannot be saved: name: letters, digits and inner hyphens only/);
    await expect(inv.add(node('pi1', { host: '$(reboot)' }))).rejects.toThrow(/host: a host name or IP address/);
    await expect(inv.add(node('pi1', { groups: ['all'] }))).rejects.toThrow(/"all" is a group every node is in already/);
    expect(inv.list()).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('updates and renames a node, refusing a name that is taken', async () => {
    const inv = new Inventory(dataDir, board);
    await inv.add(node('pi1'));
    await inv.add(node('pi2'));
    expect(await inv.update('pi1', { user: 'ubuntu', port: 2200 })).toMatchObject({ name: 'pi1', user: 'ubuntu', port: 2200, host: 'pi1.lan' });
    await expect(inv.update('pi1', { name: 'pi2' })).rejects.toThrow('Cannot rename pi1 to pi2: there is already a node called pi2.');
    await expect(inv.update('ghost', { user: 'x' })).rejects.toThrow('There is no node called ghost');
    await inv.update('pi1', { name: 'control' });
    const again = new Inventory(dataDir, board);
    expect(again.get('pi1')).toBeUndefined();
    expect(again.get('control')).toMatchObject({ user: 'ubuntu', port: 2200 });
  });

  it('removes nodes, says whether anything was removed, and tells listeners about every change', async () => {
    const inv = new Inventory(dataDir, board);
    const seen: string[][] = [];
    const stop = inv.onChange((nodes) => seen.push(nodes.map((n) => n.name)));
    await inv.add(node('pi1'));
    await inv.add(node('pi2'));
    expect(await inv.remove('pi1')).toBe(true);
    expect(await inv.remove('pi1')).toBe(false);
    stop();
    await inv.add(node('pi3'));
    expect(seen).toEqual([['pi1'], ['pi1', 'pi2'], ['pi2']]);
    expect(new Inventory(dataDir, board).list().map((n) => n.name)).toEqual(['pi2', 'pi3']);
  });

  it('runs concurrent edits one after another so none is lost, leaving no temp files', async () => {
    const inv = new Inventory(dataDir, board);
    await Promise.all(Array.from({ length: 20 }, (_, i) => inv.add(node(`pi${i}`))));
    expect(new Inventory(dataDir, board).list()).toHaveLength(20);
    expect(readdirSync(dataDir).sort()).toEqual(['inventory.json', 'inventory.json.bak']);
  });

  it('lists groups with their members, child groups included, and an implicit all', async () => {
    const inv = new Inventory(dataDir, board);
    await inv.add(node('c1', { groups: ['control'] }));
    await inv.add(node('w1', { groups: ['workers', 'gpu'] }));
    await inv.add(node('w2', { groups: ['workers'] }));
    await inv.add(node('loose'));
    await inv.merge([], { groupChildren: { cluster: ['control', 'workers'] }, groupVars: { cluster: { ntp: 'pool.ntp.org' } } });
    expect(inv.groups()).toEqual({ all: ['c1', 'w1', 'w2', 'loose'], control: ['c1'], workers: ['w1', 'w2'], gpu: ['w1'], cluster: ['c1', 'w1', 'w2'] });
    expect(inv.groupVars()).toEqual({ cluster: { ntp: 'pool.ntp.org' } });
  });

  it('merges an import: adds new nodes, keeps or replaces existing ones, and says why anything was skipped', async () => {
    const inv = new Inventory(dataDir, board);
    await inv.add(node('pi1', { mac: 'dc:a6:32:00:00:01' }));
    await inv.add(node('pi2'));
    const imported = [node('pi1', { user: 'ubuntu' }), node('pi2'), node('pi3'), node('pi3', { user: 'other' }), { ...node('bad'), port: 70000 }];

    const kept = await inv.merge(imported);
    expect(kept.added).toEqual(['pi3']);
    expect(kept.updated).toEqual([]);
    expect(kept.skipped).toEqual([
      { entry: 'pi1', reason: expect.stringContaining('already in the inventory (import with "replace"') },
      { entry: 'pi2', reason: 'already in the inventory with the same settings' },
      { entry: 'pi3', reason: 'listed more than once in the import; the first one was used' },
      { entry: 'bad', reason: expect.stringContaining('port') },
    ]);
    expect(inv.get('pi1')?.user).toBe('pi');

    const replaced = await inv.merge([node('pi1', { user: 'ubuntu' })], { replace: true });
    expect(replaced.updated).toEqual(['pi1']);
    // The file knew nothing of the MAC Bramble learned; replacing keeps it.
    expect(inv.get('pi1')).toMatchObject({ user: 'ubuntu', mac: 'dc:a6:32:00:00:01' });
  });

  it('restores the last good copy when inventory.json is damaged, keeps the damaged file and says so', async () => {
    const first = new Inventory(dataDir, board);
    await first.add(node('pi1'));
    await first.add(node('pi2'));
    new Inventory(dataDir, board); // a clean start makes the last good copy
    writeFileSync(file(), '{"nodes": [{"name": "pi1", ');

    const next = new Inventory(dataDir, board);
    expect(next.list().map((n) => n.name)).toEqual(['pi1', 'pi2']);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.level).toBe('warning');
    expect(notices[0]!.message).toMatch(/inventory\.json was damaged \(it is not valid JSON\); Bramble restored the last good copy and kept the damaged file as inventory\.json\.corrupt-/);
    const damaged = readdirSync(dataDir).find((f) => f.startsWith('inventory.json.corrupt-'))!;
    expect(readFileSync(path.join(dataDir, damaged), 'utf8')).toBe('{"nodes": [{"name": "pi1", ');
  });

  it('treats a file with a duplicated or invalid node as damaged, naming what is wrong', async () => {
    const inv = new Inventory(dataDir, board);
    await inv.add(node('pi1'));
    new Inventory(dataDir, board);
    const good = JSON.parse(readFileSync(file(), 'utf8'));
    writeFileSync(file(), JSON.stringify({ ...good, nodes: [...good.nodes, good.nodes[0]] }));
    const next = new Inventory(dataDir, board);
    expect(next.list().map((n) => n.name)).toEqual(['pi1']);
    expect(notices[0]!.message).toContain('nodes.1.name: the name pi1 is used twice');
  });
});
