// The fleet from the command line, as a user types it: the built `bramble` bin
// against real sshd nodes, with its own data folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { startFleet, type Fleet } from '../fleet/fleet.js';

const bin = path.resolve(pkg.bin.bramble);
let fleet: Fleet;
let home: string;

beforeAll(async () => {
  fleet = await startFleet({ nodes: 4 });
  home = mkdtempSync(path.join(os.tmpdir(), 'bramble-cli-fleet-'));
});

afterAll(async () => {
  await fleet?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** Runs the bin without blocking the event loop (the fleet's supervisor lives in this process). */
function bramble(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, BRAMBLE_HOME: home, SSH_AUTH_SOCK: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('bramble fleet, status and run', () => {
  it('adds a node, says its key is unknown, and trusts it only when told', async () => {
    const n = fleet.nodes[0]!;
    const added = await bramble('fleet', 'add', n.name, '--host', n.host, '--user', n.user, '--key', fleet.clientKeyPath, '--group', 'rack1', '--supply', 'hub-a');
    expect(added.status).toBe(0);
    expect(added.stdout).toContain(`Added ${n.name}`);
    expect(added.stderr).toContain(n.hostKeyFingerprint);
    const before = await bramble('status', '--json');
    expect(before.status).toBe(1);
    expect(JSON.parse(before.stdout).nodes[0]).toMatchObject({ name: n.name, status: 'host-key-unknown', presentedFingerprint: n.hostKeyFingerprint });

    const wrong = await bramble('fleet', 'trust', n.name, '--fingerprint', 'SHA256:somethingelse');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/not the key you confirmed/);
    const trusted = await bramble('fleet', 'trust', n.name, '--fingerprint', n.hostKeyFingerprint);
    expect(trusted.status).toBe(0);
    expect(trusted.stdout).toContain(`Trusted ${n.hostKeyFingerprint}`);
  });

  it('imports an Ansible inventory, accepts a new key with --accept-new, and reports every node online', async () => {
    const imported = await bramble('fleet', 'import', fleet.inventoryPath);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/Added 3: /);
    const list = JSON.parse((await bramble('fleet', 'list', '--json')).stdout);
    expect(list.nodes.map((x: { name: string }) => x.name)).toEqual(fleet.nodes.map((x) => x.name));
    expect(list.nodes[1]).toMatchObject({ host: fleet.nodes[1]!.host, auth: { kind: 'key', path: fleet.clientKeyPath } });

    // The imported nodes' keys are not known yet: one by one with accept-new, as `ssh -o StrictHostKeyChecking=accept-new` would.
    for (const n of fleet.nodes.slice(1)) {
      await bramble('fleet', 'remove', n.name);
      const r = await bramble('fleet', 'add', n.name, '--host', n.host, '--user', n.user, '--key', fleet.clientKeyPath, '--accept-new', '--json');
      expect(JSON.parse(r.stdout).state.status).toBe('online');
    }
    const status = await bramble('status');
    expect(status.status).toBe(0);
    for (const n of fleet.nodes) expect(status.stdout).toMatch(new RegExp(`^${n.name}\\s+online\\s+${n.host.replace(/\./g, '\\.')}`, 'm'));
  });

  it('runs a command on every node with output prefixed by node and a recap, and fails when a node is down', async () => {
    const ok = await bramble('run', '--', 'echo', 'hello from', '$(hostname)');
    expect(ok.status).toBe(0);
    for (const n of fleet.nodes) expect(ok.stdout).toContain(`${n.name} | hello from ${n.name}`);
    expect(ok.stdout.trim().split('\n').at(-1)).toBe('4 ok, 0 failed');

    const group = await bramble('run', '--group', 'rack1', '--json', '--', 'hostname');
    expect(JSON.parse(group.stdout).results.map((r: { node: string; stdout: string }) => [r.node, r.stdout.trim()])).toEqual([[fleet.nodes[0]!.name, fleet.nodes[0]!.name]]);

    const down = fleet.nodes[2]!;
    await down.kill();
    try {
      const status = await bramble('status', '--timeout', '5');
      expect(status.status).toBe(1);
      expect(status.stdout).toMatch(new RegExp(`^${down.name}\\s+offline`, 'm'));
      const r = await bramble('run', '--', 'true');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^${down.name}\\s+offline`, 'm'));
      expect(r.stdout.trim().split('\n').at(-1)).toBe('3 ok, 1 failed');
    } finally {
      await down.restart();
    }
  });

  it('exports an inventory real Ansible reads back, and a dnsmasq lease file', async () => {
    const yaml = await bramble('fleet', 'export', '--format', 'ansible-yaml');
    expect(yaml.status).toBe(0);
    const file = path.join(home, 'exported.yml');
    writeFileSync(file, yaml.stdout);
    const listed = spawnSync('ansible-inventory', ['-i', file, '--list'], { encoding: 'utf8' });
    expect(listed.status).toBe(0);
    const inv = JSON.parse(listed.stdout);
    expect(inv._meta.hostvars[fleet.nodes[0]!.name]).toMatchObject({ ansible_host: fleet.nodes[0]!.host, ansible_user: fleet.nodes[0]!.user });
    expect(inv.rack1.hosts).toEqual([fleet.nodes[0]!.name]);

    const leases = await bramble('fleet', 'export', '--format', 'dnsmasq');
    // Every node came online through `bramble`, which learned each one's MAC over SSH.
    expect(leases.stdout).toMatch(new RegExp(`^dhcp-host=([0-9a-f]{2}:){5}[0-9a-f]{2},${fleet.nodes[0]!.host.replace(/\./g, '\\.')},${fleet.nodes[0]!.name}$`, 'm'));
  });

  it('reports power per node and exits 1 while a node is under-voltage now', async () => {
    const n = fleet.nodes[1]!;
    await n.setThrottled(0x50005);
    await n.setTemp(71.5);
    try {
      const r = await bramble('power');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^${n.name}\\s.*0x50005.*71\\.5°C.*critical`, 'm'));
      const json = JSON.parse((await bramble('power', '--json')).stdout);
      const node = json.nodes.find((x: { name: string }) => x.name === n.name);
      expect(node.throttle.flags).toMatchObject({ underVoltageNow: true, underVoltageSinceBoot: true });
      expect(node.alerts.map((a: { kind: string }) => a.kind)).toContain('under-voltage-now');
    } finally {
      await n.setThrottled(0);
    }
    const ok = await bramble('power');
    expect(ok.status).toBe(0);
  });

  it('shows a node\'s journal filtered by unit, and its kernel log', async () => {
    const n = fleet.nodes[0]!;
    await n.appendJournal({ message: 'Accepted publickey for pi', unit: 'ssh.service', identifier: 'sshd' });
    await n.appendJournal({ message: 'cron ran', unit: 'cron.service', identifier: 'CRON' });
    await n.appendKernel('Under-voltage detected! (0x00050005)');
    const ssh = await bramble('logs', n.name, '--unit', 'ssh.service', '-n', '10');
    expect(ssh.status).toBe(0);
    expect(ssh.stdout).toContain('Accepted publickey for pi');
    expect(ssh.stdout).not.toContain('cron ran');
    const kernel = await bramble('logs', n.name, '-k', '-n', '5', '--json');
    const entries = kernel.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.at(-1)).toMatchObject({ kernel: true, power: 'under-voltage', message: expect.stringMatching(/Under-voltage detected/) });
    const missing = await bramble('logs', 'no-such-node');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no node called no-such-node/);
  });
});
