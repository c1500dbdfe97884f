// Bramble's playbook runner against real sshd fake nodes: every module changes
// a node on the first run and nothing on the second, check mode changes
// nothing, reboot waits for the node, a node that dies fails alone, and hostile
// variable values land as data. Needs root (the fleet harness).
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetNode } from '../../shared/fleet';
import { clientExec, type RemoteExec } from '../../electron/services/ssh/remote-exec';
import type { ProvisionEvent, Recap } from '../../electron/services/provision/events';
import { parsePlaybook } from '../../electron/services/provision/playbook';
import { runPlaybook, type RunPlaybookOptions } from '../../electron/services/provision/runner';
import { startFleet, type FakeNode, type Fleet } from '../fleet/fleet.js';

const { Client } = ssh2;
type Client = InstanceType<typeof Client>;

let fleet: Fleet;
let work: string;
const clients = new Set<Client>();

beforeAll(async () => {
  fleet = await startFleet({ nodes: 3, rebootDelayMs: 600 });
  work = mkdtempSync(path.join(tmpdir(), 'bramble-provision-'));
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await fleet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function inventory(nodes: FakeNode[], groups: Record<string, string[]> = {}): FleetNode[] {
  return nodes.map((n) => ({
    name: n.name,
    host: n.host,
    port: n.port,
    user: n.user,
    auth: { kind: 'key', path: fleet.clientKeyPath },
    groups: Object.entries(groups).filter(([, hs]) => hs.includes(n.name)).map(([g]) => g),
    vars: {},
  }));
}

function connect(node: FleetNode): Promise<RemoteExec> {
  const fake = fleet.node(node.name);
  const c = new Client();
  clients.add(c);
  return new Promise((resolve, reject) => {
    // ssh2 can emit late errors: keep a listener for the client's whole life.
    c.on('error', (e) => reject(e));
    c.on('close', () => clients.delete(c));
    c.once('ready', () => resolve(clientExec(c)));
    c.connect({ ...fake.connectConfig(fleet.clientPrivateKey), readyTimeout: 5000 });
  });
}

interface Run {
  recap: Recap;
  events: ProvisionEvent[];
  status(host: string, task: string): string | undefined;
  /** "task: msg" of a result, to say why an expectation failed. */
  why(host: string, task: string): string;
}

async function run(yaml: string, nodes: FakeNode[], opts: Partial<RunPlaybookOptions> = {}, files: Record<string, string> = {}): Promise<Run> {
  const dir = mkdtempSync(path.join(work, 'pb-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    rmSync(p, { force: true });
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  const events: ProvisionEvent[] = [];
  const playbook = parsePlaybook(yaml, { file: path.join(dir, 'site.yml'), baseDir: dir });
  const recap = await runPlaybook({ playbook, nodes: inventory(nodes), connect, forks: 8, onEvent: (e) => events.push(e), ...opts });
  return {
    recap,
    events,
    status: (host, task) => {
      const ev = events.find((e) => e.type === 'task-result' && e.host === host && e.task === task);
      return ev?.type === 'task-result' ? ev.status : undefined;
    },
    why: (host, task) => {
      const ev = events.find((e) => e.type === 'task-result' && e.host === host && e.task === task);
      return ev?.type === 'task-result' ? `${task}: ${ev.msg ?? ''} ${ev.output?.stderr ?? ''}` : `${task}: did not run`;
    },
  };
}

const home = (n: FakeNode, rel: string) => path.join(n.homeDir, rel);
/** $HOME as the nodes see it: the fleet account's home, over which each node mounts its own. */
const remoteHome = () => readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${fleet.user}:`))!.split(':')[5]!;
const mode = (p: string) => (statSync(p).mode & 0o7777).toString(8);

describe('modules', () => {
  const PUBKEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBrambleTestKeyBrambleTestKeyBrambleTestKey0 someone@laptop';
  const PLAY = `
- name: every module
  hosts: all
  become: true
  vars:
    dest: "{{ ansible_env.HOME }}/pb"
    motd: "Welcome to {{ inventory_hostname }}"
  tasks:
    - name: hostname
      hostname:
        name: "{{ inventory_hostname }}-pb"
    - name: packages
      apt:
        name: [htop, vim]
        state: present
    - name: key
      authorized_key:
        user: "{{ ansible_user }}"
        key: "${PUBKEY}"
    - name: dir
      ansible.builtin.file:
        path: "{{ dest }}"
        state: directory
        mode: "0750"
    - name: copy content
      copy:
        content: "{{ motd }}\\n"
        dest: "{{ dest }}/motd"
        mode: 0640
    - name: copy src
      copy:
        src: hello.txt
        dest: "{{ dest }}/hello.txt"
    - name: template
      template:
        src: app.conf.j2
        dest: "{{ dest }}/app.conf"
    - name: lineinfile
      lineinfile:
        path: "{{ dest }}/settings"
        regexp: '^port='
        line: port=8080
        create: true
    - name: link
      file:
        src: "{{ dest }}/app.conf"
        path: "{{ dest }}/current.conf"
        state: link
    - name: command creates
      command: touch {{ dest }}/made-by-command creates={{ dest }}/made-by-command
    - name: shell creates
      shell: echo "$((6 * 7))" > made-by-shell
      args:
        chdir: "{{ dest }}"
        creates: made-by-shell
    - name: group
      group:
        name: devs
    - name: user
      user:
        name: alice
        groups: [devs]
        shell: /bin/bash
    - name: service
      service:
        name: ssh
        state: started
        enabled: true
    - name: wait
      wait_for:
        path: "{{ dest }}/motd"
        timeout: 5
      when: not ansible_check_mode
`;
  const FILES = {
    'files/hello.txt': 'hello from the controller\n',
    'templates/app.conf.j2': '# {{ ansible_managed | default("managed by bramble") }}\nname={{ inventory_hostname }}\nport=80\n{% for p in ["a", "b"] %}\nplugin={{ p }}\n{% endfor %}\n',
  };
  const CHANGING = ['hostname', 'packages', 'key', 'dir', 'copy content', 'copy src', 'template', 'lineinfile', 'link', 'command creates', 'shell creates', 'group', 'user'];

  it('check mode reports what would change and changes nothing', async () => {
    const n = fleet.nodes[0]!;
    await n.clearRecordedCommands();
    const keysBefore = readFileSync(home(n, '.ssh/authorized_keys'), 'utf8');
    const r = await run(PLAY, [n], { check: true }, FILES);
    for (const t of CHANGING.filter((t) => !t.endsWith('creates'))) expect(r.status(n.name, t), r.why(n.name, t)).toBe('changed');
    // Commands cannot be predicted, so check mode skips them (as Ansible does).
    expect(r.status(n.name, 'command creates')).toBe('skipped');
    expect(r.status(n.name, 'wait')).toBe('skipped');
    expect(r.recap[n.name]).toMatchObject({ failed: 0, skipped: 3 });
    expect(existsSync(home(n, 'pb'))).toBe(false);
    expect(readFileSync(home(n, '.ssh/authorized_keys'), 'utf8')).toBe(keysBefore);
    expect(await n.installedPackages()).not.toContain('htop');
    const cmds = (await n.recordedCommands()).map((c) => c.join(' '));
    expect(cmds.filter((c) => /apt-get .*install|hostnamectl set-hostname|useradd|groupadd|systemctl (start|enable)/.test(c) && !c.includes(' -s '))).toEqual([]);
  });

  it('first run changes every module, second run changes nothing', async () => {
    const n = fleet.nodes[0]!;
    const first = await run(PLAY, [n], {}, FILES);
    for (const t of CHANGING) expect(first.status(n.name, t), first.why(n.name, t)).toBe('changed');
    expect(first.status(n.name, 'service')).toBe('ok');
    expect(first.status(n.name, 'wait')).toBe('ok');
    expect(first.recap[n.name]).toMatchObject({ ok: CHANGING.length + 3, changed: CHANGING.length, failed: 0, unreachable: 0 });

    // What a user would see on the node.
    const pb = home(n, 'pb');
    expect(mode(pb)).toBe('750');
    expect(readFileSync(path.join(pb, 'motd'), 'utf8')).toBe(`Welcome to ${n.name}\n`);
    expect(mode(path.join(pb, 'motd'))).toBe('640');
    expect(readFileSync(path.join(pb, 'hello.txt'), 'utf8')).toBe('hello from the controller\n');
    expect(readFileSync(path.join(pb, 'app.conf'), 'utf8')).toBe(`# Ansible managed\nname=${n.name}\nport=80\nplugin=a\nplugin=b\n`);
    expect(readFileSync(path.join(pb, 'settings'), 'utf8')).toBe('port=8080\n');
    expect(lstatSync(path.join(pb, 'current.conf')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(pb, 'current.conf'))).toMatch(/\/pb\/app\.conf$/);
    expect(readFileSync(path.join(pb, 'made-by-shell'), 'utf8')).toBe('42\n');
    expect(existsSync(path.join(pb, 'made-by-command'))).toBe(true);
    expect(readFileSync(home(n, '.ssh/authorized_keys'), 'utf8')).toContain(PUBKEY);
    expect(await n.installedPackages()).toEqual(expect.arrayContaining(['htop', 'vim']));
    expect(n.state.hostname()).toBe(`${n.name}-pb`);
    const passwd = readFileSync(path.join(n.dir, 'state/passwd'), 'utf8');
    expect(passwd).toMatch(/^alice:x:\d+:\d+::\/home\/alice:\/bin\/bash$/m);
    expect(readFileSync(path.join(n.dir, 'state/group'), 'utf8')).toMatch(/^devs:x:\d+:alice$/m);

    await n.clearRecordedCommands();
    const second = await run(PLAY, [n], {}, FILES);
    const changedAgain = second.events.filter((e) => e.type === 'task-result' && e.status !== 'ok').map((e) => e.type === 'task-result' && `${e.task}: ${e.status} ${e.msg ?? ''}`);
    expect(changedAgain).toEqual([]);
    expect(second.recap[n.name]).toMatchObject({ ok: CHANGING.length + 3, changed: 0, failed: 0 });
    const cmds = (await n.recordedCommands()).map((c) => c.join(' '));
    expect(cmds.filter((c) => /apt-get .*install|hostnamectl set-hostname|useradd|usermod|groupadd/.test(c))).toEqual([]);

    // A file changed behind Bramble's back is put right, and only that task reports a change.
    writeFileSync(path.join(pb, 'hello.txt'), 'tampered\n');
    const third = await run(PLAY, [n], {}, FILES);
    expect(third.recap[n.name]!.changed).toBe(1);
    expect(third.status(n.name, 'copy src')).toBe('changed');
    expect(readFileSync(path.join(pb, 'hello.txt'), 'utf8')).toBe('hello from the controller\n');
  });

  it('apt latest, absent and update_cache use the Debian tools', async () => {
    const n = fleet.nodes[1]!;
    await n.clearRecordedCommands();
    const pb = `
- hosts: all
  gather_facts: false
  become: true
  tasks:
    - name: latest
      apt: { name: jq, state: latest, update_cache: true }
    - name: gone
      apt: { name: curl, state: absent }
`;
    const first = await run(pb, [n]);
    expect(first.status(n.name, 'latest')).toBe('changed');
    expect(first.status(n.name, 'gone')).toBe('changed');
    expect(await n.installedPackages()).toContain('jq');
    expect(await n.installedPackages()).not.toContain('curl');
    const second = await run(pb, [n]);
    expect(second.recap[n.name]).toMatchObject({ changed: 0, failed: 0 });
    const cmds = await n.recordedCommands();
    expect(cmds).toContainEqual(expect.arrayContaining(['apt-get', 'update']));
    const installs = cmds.filter((c) => c.includes('install') && c[0] === 'apt-get' && !c.includes('-s'));
    expect(installs).toHaveLength(1);
  });

  it('service stop, restart and enable run systemctl only when needed, never in check mode', async () => {
    const n = fleet.nodes[1]!;
    const pb = `
- hosts: all
  gather_facts: false
  become: true
  tasks:
    - name: stop
      systemd: { name: bluetooth, state: stopped }
    - name: restart
      ansible.builtin.service: { name: ssh, state: restarted }
    - name: already enabled
      service: { name: ssh, enabled: yes }
`;
    await n.clearRecordedCommands();
    const checked = await run(pb, [n], { check: true });
    expect(checked.recap[n.name]).toMatchObject({ changed: 2, failed: 0 });
    expect((await n.recordedCommands()).filter((c) => c[0] === 'systemctl' && c[1] !== 'show')).toEqual([]);
    const real = await run(pb, [n]);
    expect(real.status(n.name, 'already enabled')).toBe('ok');
    const verbs = (await n.recordedCommands()).filter((c) => c[0] === 'systemctl' && c[1] !== 'show').map((c) => c.join(' '));
    expect(verbs).toEqual(['systemctl stop -- bluetooth', 'systemctl restart -- ssh']);
    // The fake systemctl remembers: a stopped unit reads back stopped, so only the restart repeats.
    const again = await run(pb, [n]);
    expect(again.status(n.name, 'stop')).toBe('ok');
    expect(again.status(n.name, 'restart')).toBe('changed');

    const boot = `
- hosts: all
  gather_facts: false
  become: true
  tasks:
    - name: boot
      service: { name: bluetooth, state: "{{ want_state }}", enabled: "{{ want_enabled }}" }
`;
    const off = await run(boot, [n], { extraVars: { want_state: 'stopped', want_enabled: 'false' } });
    expect(off.status(n.name, 'boot')).toBe('changed');
    expect((await run(boot, [n], { extraVars: { want_state: 'stopped', want_enabled: 'false' } })).status(n.name, 'boot')).toBe('ok');
    const on = await run(boot, [n], { extraVars: { want_state: 'started', want_enabled: 'true' } });
    expect(on.status(n.name, 'boot')).toBe('changed');
    expect((await run(boot, [n], { extraVars: { want_state: 'started', want_enabled: 'true' } })).status(n.name, 'boot')).toBe('ok');
  });

  it('reboot waits for the node to come back before the next task', async () => {
    const n = fleet.nodes[2]!;
    const boots = n.boots;
    const pb = `
- hosts: all
  gather_facts: false
  become: true
  tasks:
    - name: reboot
      reboot: { reboot_timeout: 30 }
    - name: after
      command: hostnamectl status
      register: after
`;
    const started = Date.now();
    const r = await run(pb, [n]);
    expect(r.status(n.name, 'reboot')).toBe('changed');
    expect(r.status(n.name, 'after')).toBe('changed');
    expect(n.boots).toBe(boots + 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect((await n.recordedCommands()).some((c) => c[0] === 'shutdown' && c.includes('-r'))).toBe(true);
  });

  it('a node that dies mid-run fails alone, and a rerun converges', async () => {
    const nodes = fleet.nodes;
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - name: a
      shell: echo a > "{{ home }}/mid-a"
      args: { creates: "{{ home }}/mid-a" }
    - name: slow
      command: sleep 1.5
    - name: b
      shell: echo b > "{{ home }}/mid-b"
      args: { creates: "{{ home }}/mid-b" }
`;
    const victim = nodes[1]!;
    let killed = false;
    const r = await run(pb, nodes, {
      extraVars: { home: remoteHome() },
      onEvent: (e) => {
        if (e.type === 'task-start' && e.host === victim.name && e.task === 'slow' && !killed) {
          killed = true;
          setTimeout(() => void victim.kill(), 300);
        }
      },
    });
    expect(r.recap[victim.name]).toMatchObject({ unreachable: 1, failed: 0 });
    expect(r.status(victim.name, 'b')).toBeUndefined();
    for (const n of [nodes[0]!, nodes[2]!]) {
      expect(r.recap[n.name]).toMatchObject({ failed: 0, unreachable: 0 });
      expect(existsSync(home(n, 'mid-b'))).toBe(true);
    }
    expect(existsSync(home(victim, 'mid-a'))).toBe(true);
    expect(existsSync(home(victim, 'mid-b'))).toBe(false);

    await victim.restart();
    const again = await run(pb, nodes, { extraVars: { home: remoteHome() } });
    expect(again.recap[victim.name]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(existsSync(home(victim, 'mid-b'))).toBe(true);
    // The others had nothing left to do but the command that always runs.
    expect(again.status(nodes[0]!.name, 'b')).toBe('ok');
    expect(again.status(victim.name, 'a')).toBe('ok');
    expect(again.status(victim.name, 'b')).toBe('changed');
  });

  it('hostile variable values land verbatim, as data', async () => {
    const n = fleet.nodes[2]!;
    const evil = `it's "quoted" $(touch pwned-subst) \`touch pwned-tick\`; rm -rf ~/pb-evil #\nsecond line $HOME`;
    const pb = `
- hosts: all
  gather_facts: false
  vars:
    dir: "{{ lookup('env', 'BRAMBLE_EVIL_DIR') }}"
  tasks:
    - name: dir
      file: { path: "{{ dir }}", state: directory }
    - name: copy
      copy: { content: "{{ evil }}", dest: "{{ dir }}/copy.txt" }
    - name: line
      lineinfile: { path: "{{ dir }}/lines.txt", line: "{{ evil | replace('\\n', ' ') }}", create: true }
    - name: template
      template: { src: t.j2, dest: "{{ dir }}/t.txt" }
    - name: argv
      command:
        argv: [printf, '%s', "{{ evil }}"]
      register: printed
    - name: echo back
      copy: { content: "{{ printed.stdout }}", dest: "{{ dir }}/printed.txt" }
`;
    const dirName = "pb-evil dir 'x' $(touch pwned-dir)";
    const r = await run(pb, [n], { extraVars: { evil }, env: { BRAMBLE_EVIL_DIR: `${remoteHome()}/${dirName}` } }, { 'templates/t.j2': '[{{ evil }}]\n' });
    expect(r.recap[n.name]).toMatchObject({ failed: 0, changed: 6 });
    const d = home(n, dirName);
    expect(readFileSync(path.join(d, 'copy.txt'), 'utf8')).toBe(evil);
    expect(readFileSync(path.join(d, 'lines.txt'), 'utf8')).toBe(`${evil.replace('\n', ' ')}\n`);
    expect(readFileSync(path.join(d, 't.txt'), 'utf8')).toBe(`[${evil}]\n`);
    expect(readFileSync(path.join(d, 'printed.txt'), 'utf8')).toBe(evil);
    for (const f of ['pwned-subst', 'pwned-tick', 'pwned-dir']) {
      expect(existsSync(home(n, f))).toBe(false);
      expect(existsSync(path.join(d, f))).toBe(false);
    }
  });

  it('a path that holds the wrong kind of thing fails the task by name and is left as it was', async () => {
    const n = fleet.nodes[2]!;
    const local = home(n, 'pb-kinds');
    const base = `${remoteHome()}/pb-kinds`;
    mkdirSync(path.join(local, 'a-dir'), { recursive: true });
    writeFileSync(path.join(local, 'a-file'), 'keep me\n');
    const task = (name: string, body: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: ${name}
      ${body}
`;
    const intoDir = await run(task('copy onto a directory', `copy: { content: "x", dest: "${base}/a-dir" }`), [n]);
    expect(intoDir.status(n.name, 'copy onto a directory')).toBe('failed');
    expect(intoDir.why(n.name, 'copy onto a directory')).toMatch(/a-dir is a directory/);
    const dirOverFile = await run(task('directory over a file', `file: { path: "${base}/a-file", state: directory }`), [n]);
    expect(dirOverFile.status(n.name, 'directory over a file')).toBe('failed');
    expect(dirOverFile.why(n.name, 'directory over a file')).toMatch(/a-file already exists as a file/);
    const lineIntoDir = await run(task('line into a directory', `lineinfile: { path: "${base}/a-dir", line: "x", create: true }`), [n]);
    expect(lineIntoDir.status(n.name, 'line into a directory')).toBe('failed');
    expect(lineIntoDir.why(n.name, 'line into a directory')).toMatch(/a-dir is not a regular file/);
    expect(readFileSync(path.join(local, 'a-file'), 'utf8')).toBe('keep me\n');
    expect(readdirSync(path.join(local, 'a-dir'))).toEqual([]);
  });

  it('until retries a task until its condition holds, and fails it when it never does', async () => {
    const n = fleet.nodes[2]!;
    const dir = `${remoteHome()}/pb-until`;
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - name: count to three
      shell: mkdir -p ${dir}; n=$(cat ${dir}/c 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${dir}/c; echo $n
      register: counted
      until: counted.stdout == '3'
      retries: 5
      delay: 0
    - name: seen
      copy: { content: "{{ counted.attempts }} {{ counted.stdout }}\\n", dest: "${dir}/seen" }
    - name: never true
      command: "true"
      register: nope
      until: nope.stdout == 'x'
      retries: 1
      delay: 0
`;
    const r = await run(pb, [n]);
    expect(r.status(n.name, 'count to three')).toBe('changed');
    expect(readFileSync(home(n, 'pb-until/seen'), 'utf8')).toBe('3 3\n');
    expect(r.status(n.name, 'never true')).toBe('failed');
    expect(r.why(n.name, 'never true')).toMatch(/Still not true after 1 retries: nope.stdout == 'x'/);
  });

  it('the built-in base-node playbook sets up a node, then has nothing left to do', async () => {
    const n = fleet.nodes[1]!;
    const file = path.resolve('assets/playbooks/base-node.yml');
    const playbook = parsePlaybook(readFileSync(file, 'utf8'), { file });
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBaseNodeBaseNodeBaseNodeBaseNodeBaseNode0 admin@desk';
    const go = () => runPlaybook({ playbook, nodes: inventory([n]), connect, extraVars: { ssh_public_key: key } });
    // A freshly flashed card boots as raspberrypi, not as its inventory name.
    await run('- hosts: all\n  gather_facts: false\n  become: true\n  tasks:\n    - hostname: { name: raspberrypi }\n', [n]);
    expect(n.state.hostname()).toBe('raspberrypi');
    const first = await go();
    expect(first[n.name]).toMatchObject({ ok: 3, changed: 3, failed: 0 });
    expect(n.state.hostname()).toBe(n.name);
    expect(await n.installedPackages()).toEqual(expect.arrayContaining(['docker.io', 'htop', 'vim']));
    expect(readFileSync(home(n, '.ssh/authorized_keys'), 'utf8')).toContain(key);
    expect(readFileSync(home(n, '.ssh/authorized_keys'), 'utf8')).toContain('bramble-fleet-client');
    expect(await go()).toMatchObject({ [n.name]: { ok: 3, changed: 0 } });
  });

  it('become with a sudo password sends it on stdin, never in argv', async () => {
    const n = fleet.nodes[1]!;
    const secret = "pa ss'$(word)";
    await n.setSudoPassword(secret);
    try {
      const pb = `
- hosts: all
  gather_facts: false
  become: true
  tasks:
    - name: write as root
      shell: printf '%s\\n' "$(id -un)" > "$HOME/whoami-root"
`;
      const without = await run(pb, [n]);
      expect(without.recap[n.name]).toMatchObject({ failed: 1 });
      const failure = without.events.find((e) => e.type === 'task-result' && e.status === 'failed');
      expect(failure?.type === 'task-result' && `${failure.msg} ${failure.output?.stderr}`).toMatch(/password is required/);

      await n.clearRecordedCommands();
      const withPw = await run(pb, [n], { becomePassword: secret });
      expect(withPw.recap[n.name]).toMatchObject({ failed: 0, changed: 1 });
      expect(readFileSync(home(n, 'whoami-root'), 'utf8')).toBe('root\n');
      const argvs = (await n.recordedCommands()).flat();
      expect(argvs.some((a) => a.includes('word'))).toBe(false);
      expect(await n.recordedCommands()).toContainEqual(expect.arrayContaining(['sudo', '-S']));
    } finally {
      await n.setSudoPassword(null);
    }
  });
});
