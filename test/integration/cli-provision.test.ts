// `bramble provision` as a user types it: the built bin against real sshd nodes,
// Bramble's runner and (with --ansible) the real ansible-playbook.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { startFleet, type Fleet } from '../fleet/fleet.js';

const bin = path.resolve(pkg.bin.bramble);
let fleet: Fleet;
let home: string;

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

beforeAll(async () => {
  fleet = await startFleet({ nodes: 2 });
  home = mkdtempSync(path.join(os.tmpdir(), 'bramble-cli-provision-'));
  for (const n of fleet.nodes) {
    for (const p of ['docker.io', 'htop', 'vim']) await n.makeAvailable(p);
    const r = await bramble('fleet', 'add', n.name, '--host', n.host, '--user', n.user, '--key', fleet.clientKeyPath, '--group', 'pis', '--accept-new');
    expect(r.status).toBe(0);
  }
});

afterAll(async () => {
  await fleet?.stop();
  rmSync(home, { recursive: true, force: true });
});

const recapLine = (out: string, host: string) => new RegExp(`^${host}\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)`, 'm').exec(out);

describe('bramble provision', () => {
  it('runs the built-in base node playbook: changed first, all ok the second time', async () => {
    const key = readFileSync(`${fleet.clientKeyPath}.pub`, 'utf8').trim();
    const first = await bramble('provision', 'base-node', '--limit', fleet.nodes[0]!.name, '-e', `ssh_public_key=${key}`);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^TASK \[Install the base packages\]/m);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toMatch(/^node-01\s+: ok=3\s+changed=/);
    expect(Number(recapLine(first.stdout, 'node-01')![2])).toBeGreaterThan(0);
    expect(await fleet.nodes[0]!.installedPackages()).toEqual(expect.arrayContaining(['docker.io', 'htop', 'vim']));

    const second = await bramble('provision', 'base-node', '--limit', fleet.nodes[0]!.name, '-e', `ssh_public_key=${key}`);
    expect(second.status).toBe(0);
    expect(recapLine(second.stdout, 'node-01')!.slice(1, 5)).toEqual(['3', '0', '0', '0']);
    // node-02 was not in the limit.
    expect(recapLine(second.stdout, 'node-02')).toBeNull();
  });

  it('refuses a playbook with a module it does not support, naming it, before anything runs', async () => {
    const file = path.join(home, 'bad.yml');
    writeFileSync(file, '- hosts: all\n  tasks:\n    - name: Frobnicate\n      community.general.frobnicate: {}\n');
    const r = await bramble('provision', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/frobnicate/);
    expect(await fleet.nodes[1]!.recordedCommands()).toEqual([]);
  });

  it('runs the same playbook with real Ansible when asked, with the same recap shape', async () => {
    const file = path.join(home, 'note.yml');
    writeFileSync(file, '- hosts: all\n  tasks:\n    - name: Leave a note\n      copy:\n        content: "provisioned by {{ inventory_hostname }}\\n"\n        dest: "{{ ansible_env.HOME }}/bramble-note.txt"\n        mode: "0640"\n');
    const r = await bramble('provision', file, '--ansible', '--limit', fleet.nodes[1]!.name);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // Gathering facts counts as one ok, as in Ansible.
    expect(recapLine(r.stdout, 'node-02')!.slice(1, 5)).toEqual(['2', '1', '0', '0']);
  }, 120_000);
});
