// Following a node's journal over a real sshd: new lines arrive within a
// second, journalctl applies the unit/priority/kernel filters, a stop is a
// stop, and a 100k-line journal fills the ring buffer to its bound.
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until';
import { followLog } from '../../electron/services/logs/follow-log';
import type { LogEntry } from '../../shared/logs/log-entry';
import { LogStore } from '../../shared/logs/log-store';
import { clientExec, type RemoteExec } from '../../electron/services/ssh/remote-exec';
import { startFleet, type FakeNode, type Fleet } from '../fleet/fleet.js';

let fleet: Fleet;
let node: FakeNode;
let exec: RemoteExec;
let client: ssh2.Client;

beforeAll(async () => {
  fleet = await startFleet({ nodes: 1 });
  node = fleet.nodes[0]!;
  client = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    client.on('error', reject);
    client.on('ready', () => resolve());
    client.connect(node.connectConfig(fleet.clientPrivateKey));
  });
  exec = clientExec(client);
});

afterAll(async () => {
  client?.end();
  await fleet?.stop();
});


describe('following a node log', () => {
  it('shows the last lines, then a new journal line within a second, and stops when asked', async () => {
    for (let i = 0; i < 10; i++) await node.appendJournal({ message: `old line ${i}`, unit: 'bramble-test.service' });
    const got: { e: LogEntry; t: number }[] = [];
    const ctl = new AbortController();
    const done = followLog(exec, { follow: true, lines: 5, node: node.name, signal: ctl.signal, onEntries: (es) => es.forEach((e) => got.push({ e, t: Date.now() })) });
    await until('the last five lines', () => got.length >= 5, 5000);
    expect(got.map((g) => g.e.message)).toEqual(['old line 5', 'old line 6', 'old line 7', 'old line 8', 'old line 9']);

    // Give the remote follow time to reach its waiting loop, then time a new line end to end.
    await new Promise((r) => setTimeout(r, 300));
    const appended = Date.now();
    await node.appendJournal({ message: 'Failed password for pi from 10.0.0.9', unit: 'ssh.service', priority: 4, pid: 812 });
    const hit = await until('the new line', () => got.find((g) => g.e.message.startsWith('Failed password')), 3000);
    expect(hit.t - appended).toBeLessThan(1000);
    expect(hit.e).toMatchObject({ node: node.name, unit: 'ssh.service', priority: 4, pid: 812, identifier: 'ssh', kernel: false });

    ctl.abort();
    const r = await done;
    expect(r).toMatchObject({ source: 'journalctl', ended: 'aborted', entries: 6 });
    // The cursor to resume from is the journal's own cursor of the last line delivered.
    expect(r.lastCursor).toBe(got.at(-1)!.e.cursor);
    expect(r.lastCursor).toMatch(/^s=[^;]+;i=[0-9a-f]+;/);

    // Resuming after the cursor gives exactly the lines written since.
    await node.appendJournal({ message: 'while nobody followed' });
    const resumed: string[] = [];
    await followLog(exec, { follow: false, afterCursor: r.lastCursor, onEntries: (es) => resumed.push(...es.map((e) => e.message)) });
    expect(resumed).toEqual(['while nobody followed']);
  });

  it('unit, priority and kernel filters are applied by journalctl on the node', async () => {
    const since = Date.now();
    await node.appendJournal({ message: 'ssh info', unit: 'ssh.service', priority: 6 });
    await node.appendJournal({ message: 'ssh error', unit: 'ssh.service', priority: 3 });
    await node.appendJournal({ message: 'cron info', unit: 'cron.service', priority: 6 });
    await node.appendJournal({ message: 'cron crit', unit: 'cron.service', priority: 2 });
    await node.appendKernel('Under-voltage detected! (0x00050005)', { priority: 2 });
    const read = async (o: Partial<Parameters<typeof followLog>[1]>) => {
      const out: LogEntry[] = [];
      await followLog(exec, { follow: false, since, ...o, onEntries: (es) => out.push(...es) });
      return out;
    };
    expect((await read({ unit: 'ssh' })).map((e) => e.message)).toEqual(['ssh info', 'ssh error']);
    expect((await read({ priority: 3 })).map((e) => e.message)).toEqual(['ssh error', 'cron crit', 'Under-voltage detected! (0x00050005)']);
    expect((await read({ unit: 'cron.service', priority: 3 })).map((e) => e.message)).toEqual(['cron crit']);
    const kernel = await read({ kernel: true });
    expect(kernel.map((e) => [e.message, e.kernel, e.power])).toEqual([['Under-voltage detected! (0x00050005)', true, 'under-voltage']]);
    expect((await read({ lines: 2 })).map((e) => e.message)).toEqual(['cron crit', 'Under-voltage detected! (0x00050005)']);
  });

  it('a journal of 120k lines fills a 100k-line ring buffer to its bound, newest kept', async () => {
    const since = Date.now();
    for (let i = 0; i < 120_000; i++) await node.appendJournal({ message: `bulk ${i}`, unit: 'bulk.service', timestamp: new Date(since + Math.floor(i / 1000)) });
    const store = new LogStore(100_000);
    let batches = 0;
    const r = await followLog(exec, {
      follow: false,
      unit: 'bulk',
      node: node.name,
      timeoutMs: 110_000,
      onEntries: (es) => {
        batches++;
        store.add(es);
      },
    });
    expect(r.entries).toBe(120_000);
    expect(batches).toBeGreaterThan(1);
    expect(store.size).toBe(100_000);
    const all = store.query({}).entries;
    expect([all[0]!.message, all.at(-1)!.message]).toEqual(['bulk 20000', 'bulk 119999']);
    expect(store.query({ regex: '^bulk 11999\\d$' }).entries).toHaveLength(10);
  });
});
