// Provisioning bench: the same 3-task playbook on 32 fake Pi nodes, run by
// Bramble's runner and by ansible-playbook (forks 32, pipelining on) side by
// side, each into its own folder on every node, from a clean state each round.
// Checks both end states are identical, prints and records the time ratio.
//
//   npx tsx bench/provision.ts        (needs root, openssh-server, ansible-core)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { exportAnsibleProject } from '../electron/services/provision/ansible-export';
import { findAnsiblePlaybook } from '../electron/services/provision/ansible-runner';
import { parsePlaybook } from '../electron/services/provision/playbook';
import { runPlaybook } from '../electron/services/provision/runner';
import { recapSucceeded } from '../electron/services/provision/events';
import { clientExec, type RemoteExec } from '../electron/services/ssh/remote-exec';
import type { FleetNode } from '../shared/fleet';
import { startFleet } from '../test/fleet/fleet';
import { median, timeCommand, writeResults } from './lib';

const NODES = 32;
const ROUNDS = 3;
const PLAYBOOK = `
- name: bench
  hosts: all
  gather_facts: false
  tasks:
    - name: folder
      file: { path: "{{ dest }}", state: directory, mode: "0755" }
    - name: config
      copy: { content: "node={{ inventory_hostname }}\\nrole=worker\\n", dest: "{{ dest }}/node.conf", mode: "0644" }
    - name: setting
      lineinfile: { path: "{{ dest }}/node.conf", regexp: "^role=", line: "role=bench" }
`;

const ansible = findAnsiblePlaybook();
if (!ansible) throw new Error('ansible-playbook is not on PATH (apt-get install ansible-core)');

const fleet = await startFleet({ nodes: NODES });
const work = mkdtempSync(path.join(tmpdir(), 'bramble-bench-provision-'));
const { Client } = ssh2;
const clients: InstanceType<typeof Client>[] = [];
try {
  const home = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${fleet.user}:`))!.split(':')[5]!;
  const nodes: FleetNode[] = fleet.nodes.map((n) => ({ name: n.name, host: n.host, port: n.port, user: n.user, auth: { kind: 'key', path: fleet.clientKeyPath }, groups: [], vars: {} }));
  const src = path.join(work, 'src');
  mkdirSync(src);
  writeFileSync(path.join(src, 'site.yml'), PLAYBOOK);
  const project = path.join(work, 'project');
  exportAnsibleProject(project, { nodes, playbooks: [{ name: 'site.yml', path: path.join(src, 'site.yml') }], knownHostsPath: fleet.knownHostsPath, forks: NODES });
  const playbook = parsePlaybook(PLAYBOOK, { file: path.join(src, 'site.yml') });

  const connect = (node: FleetNode) =>
    new Promise<RemoteExec>((resolve, reject) => {
      const c = new Client();
      clients.push(c);
      c.on('error', reject);
      c.once('ready', () => resolve(clientExec(c)));
      c.connect({ ...fleet.node(node.name).connectConfig(fleet.clientPrivateKey), readyTimeout: 20_000 });
    });

  const clean = () => {
    for (const n of fleet.nodes) for (const d of ['bench-bramble', 'bench-ansible']) rmSync(path.join(n.homeDir, d), { recursive: true, force: true });
  };
  const tree = (dir: string) =>
    readdirSync(dir)
      .sort()
      .map((f) => `${f} ${(statSync(path.join(dir, f)).mode & 0o7777).toString(8)} ${readFileSync(path.join(dir, f), 'utf8')}`)
      .join('|');

  const bramble: number[] = [];
  const ansibleTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    clean();
    const start = process.hrtime.bigint();
    const recap = await runPlaybook({ playbook, nodes, connect, forks: NODES, extraVars: { dest: `${home}/bench-bramble` } });
    bramble.push(Number(process.hrtime.bigint() - start) / 1e9);
    for (const c of clients.splice(0)) c.end();
    if (!recapSucceeded(recap) || Object.values(recap).some((r) => r.changed !== 3)) throw new Error(`Bramble run failed: ${JSON.stringify(recap)}`);

    ansibleTimes.push(
      timeCommand('ansible-playbook', 'ansible-playbook', ['-i', 'inventory.yml', 'site.yml', '--forks', String(NODES), '--extra-vars', JSON.stringify({ dest: `${home}/bench-ansible` })], {
        cwd: project,
        env: { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') },
      }),
    );
    for (const n of fleet.nodes) {
      const a = tree(path.join(n.homeDir, 'bench-bramble'));
      const b = tree(path.join(n.homeDir, 'bench-ansible'));
      if (a !== b) throw new Error(`end states differ on ${n.name}:\n  bramble: ${a}\n  ansible: ${b}`);
    }
    console.log(`round ${round + 1}: bramble ${bramble.at(-1)!.toFixed(2)} s, ansible-playbook ${ansibleTimes.at(-1)!.toFixed(2)} s`);
  }
  const b = median(bramble);
  const a = median(ansibleTimes);
  const ratio = b / a;
  const verdict = ratio <= 0.07 ? 'meets' : 'misses';
  const body = `
Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ansible-core ${ansible.version}, ${NODES} fake nodes (real sshd on loopback), median of ${ROUNDS} rounds, each from a clean state.
Playbook: 3 tasks (file directory, copy content, lineinfile), gather_facts false; end state of both runners compared file by file on every node (identical).

| runner | seconds |
|---|---|
| Bramble runPlaybook (forks ${NODES}, one ssh2 connection per node, connect time included) | ${b.toFixed(2)} |
| ansible-playbook (forks ${NODES}, pipelining, ControlPersist) | ${a.toFixed(2)} |
| ratio Bramble / Ansible | ${ratio.toFixed(3)}x (target <= 0.07x: ${verdict}) |
`;
  console.log(body);
  console.log(`written to ${writeResults('provision', body)}`);
} finally {
  for (const c of clients) c.destroy();
  await fleet.stop();
  rmSync(work, { recursive: true, force: true });
}
