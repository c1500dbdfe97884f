// Compatibility with real ansible-playbook (ansible-core, Debian): the same
// playbook run by Bramble on one fake node and by Ansible on its identical twin
// (through Bramble's exported project) ends in the same files, contents, modes
// and links, with the same ok/changed/skipped/rescued counts on the first and
// the second run. The playbook uses a role (defaults, vars, parameters, files,
// templates, handlers, import_tasks), vars_files, environment, until, and a
// block whose first task fails and is rescued on both runs. Needs root (the fleet harness) and ansible-playbook on PATH.
//
// Left out of the comparison on purpose, each for a reason of the fake fleet or
// of ansible-core 2.14 rather than of the playbook:
// - apt: Ansible's apt module reads the controller machine's real package
//   database through python-apt, not the node's fake dpkg, so it is never
//   idempotent here (see FACTS); Bramble's apt is covered in provision-modules.
// - hostname: Ansible's Debian strategy writes /etc/hostname (the real
//   machine's), and its systemd strategy parses `hostnamectl --transient status`
//   output the fake does not print in that form.
// - authorized_key: not part of ansible-core 2.14 (it is in ansible.posix).
// The built-in base-node playbook is made of exactly those three, so it is
// tested with Bramble alone (provision-modules); here its export is checked by
// ansible-playbook --syntax-check.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetNode } from '../../shared/fleet';
import { exportAnsibleProject } from '../../electron/services/provision/ansible-export';
import { findAnsiblePlaybook, runWithAnsible } from '../../electron/services/provision/ansible-runner';
import type { HostRecap, ProvisionEvent } from '../../electron/services/provision/events';
import { parsePlaybook } from '../../electron/services/provision/playbook';
import { formatRecap } from '../../electron/services/provision/recap';
import { runPlaybook } from '../../electron/services/provision/runner';
import { clientExec, type RemoteExec } from '../../electron/services/ssh/remote-exec';
import { startFleet, type FakeNode, type Fleet } from '../fleet/fleet.js';

const { Client } = ssh2;
type Client = InstanceType<typeof Client>;

let fleet: Fleet;
let work: string;
const clients = new Set<Client>();

beforeAll(async () => {
  fleet = await startFleet({ nodes: 2 });
  work = mkdtempSync(path.join(tmpdir(), 'bramble-ansible-'));
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await fleet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function asFleetNode(n: FakeNode): FleetNode {
  return { name: n.name, host: n.host, port: n.port, user: n.user, auth: { kind: 'key', path: fleet.clientKeyPath }, groups: ['pis'], vars: { colour: 'green' } };
}

function connect(node: FleetNode): Promise<RemoteExec> {
  const c = new Client();
  clients.add(c);
  return new Promise((resolve, reject) => {
    c.on('error', (e) => reject(e));
    c.on('close', () => clients.delete(c));
    c.once('ready', () => resolve(clientExec(c)));
    c.connect({ ...fleet.node(node.name).connectConfig(fleet.clientPrivateKey), readyTimeout: 5000 });
  });
}

const remoteHome = () => readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${fleet.user}:`))!.split(':')[5]!;

const PLAYBOOK = `
- name: compat
  hosts: all
  vars_files:
    - vars/extra.yml
  roles:
    - role: web
      vars:
        web_port: 8080
  environment:
    PLAY_ENV: from the play
  vars:
    greeting: "hello from {{ group_names | join(',') }}, colour {{ colour | upper }}"
    settings: [alpha=1, beta=2]
  tasks:
    - name: folder
      file:
        path: "{{ dest }}"
        state: directory
        mode: "0750"
    - name: greeting
      copy:
        content: "{{ greeting }}\\n"
        dest: "{{ dest }}/greeting"
        mode: "0640"
      notify: mark
    - name: static
      copy:
        src: static.txt
        dest: "{{ dest }}/static.txt"
      notify: "web : web changed"
    - name: config
      template:
        src: app.conf.j2
        dest: "{{ dest }}/app.conf"
        mode: "0600"
      notify: [mark, mark again]
    - name: settings
      lineinfile:
        path: "{{ dest }}/settings"
        line: "{{ item }}"
        create: true
      loop: "{{ settings }}"
    - name: gamma after alpha
      lineinfile:
        path: "{{ dest }}/settings"
        regexp: '^gamma='
        line: gamma=3
        insertafter: '^alpha='
    - name: link
      file:
        src: "{{ dest }}/app.conf"
        dest: "{{ dest }}/current"
        state: link
    - name: stamp
      command: touch {{ dest }}/stamp
      args:
        creates: "{{ dest }}/stamp"
    - name: guarded
      vars:
        marker: "{{ dest }}/rescued"
      block:
        - name: fails on purpose
          command: "false"
        - name: not reached
          copy:
            content: "no\\n"
            dest: "{{ dest }}/not-reached"
      rescue:
        - name: record the rescue
          copy:
            content: "rescued after {{ ansible_failed_task.name }}\\n"
            dest: "{{ marker }}"
      always:
        - name: always runs
          lineinfile:
            path: "{{ dest }}/always"
            line: always
            create: true
    - name: plain block
      when: colour == 'green'
      block:
        - name: in a block
          copy:
            content: "in a block\\n"
            dest: "{{ dest }}/in-block"
        - name: skipped in a block
          copy:
            content: "no\\n"
            dest: "{{ dest }}/skipped-in-block"
          when: colour == 'red'
    - name: environment
      shell: printf '%s|%s|%s|%s|%s\\n' "$GREETING" "$PLAY_ENV" "$EXTRA" "$FLAG" "$ROLE" > {{ dest }}/env-out
      args:
        creates: "{{ dest }}/env-out"
      environment:
        GREETING: "hi {{ colour }}"
        EXTRA: "{{ extra_line }}"
        FLAG: true
        # A play task sees its roles' vars and defaults.
        ROLE: "{{ docroot_name }} {{ site }}"
    - import_tasks: tasks/outer.yml
    - name: wait for the greeting
      command: cat {{ dest }}/greeting
      register: got
      until: got.stdout is search('hello')
      retries: 2
      delay: 0
      changed_when: false
    - name: never
      copy:
        content: "should not exist\\n"
        dest: "{{ dest }}/never"
      when: colour == 'red'
    - name: only green
      copy:
        content: "green\\n"
        dest: "{{ dest }}/green"
      when:
        - colour == 'green'
        - settings | length > 1
  handlers:
    - name: mark
      copy:
        content: "handled\\n"
        dest: "{{ dest }}/handler-ran"
    - name: mark again
      lineinfile:
        path: "{{ dest }}/handler-log"
        line: ran
        create: true
`;

const FILES: Record<string, string> = {
  'vars/extra.yml': 'extra_line: "from vars_files $(x)"\n',
  'tasks/outer.yml': '- import_tasks: inner.yml\n',
  'tasks/inner.yml': '- name: nested import\n  copy:\n    content: "nested\\n"\n    dest: "{{ dest }}/nested"\n',
  'roles/web/defaults/main.yml': 'web_port: 80\nsite: default-site\ncolour: blue\n',
  'roles/web/vars/main.yml': 'docroot_name: www\n',
  'roles/web/tasks/main.yml': '- name: folder first\n  file:\n    path: "{{ dest }}"\n    state: directory\n    mode: "0750"\n- name: site config\n  template:\n    src: site.conf.j2\n    dest: "{{ dest }}/site.conf"\n  notify: web changed\n- import_tasks: extra.yml\n',
  'roles/web/tasks/extra.yml': '- name: extra file\n  copy:\n    src: extra.txt\n    dest: "{{ dest }}/extra.txt"\n',
  'roles/web/templates/site.conf.j2': 'port={{ web_port }} site={{ site }} colour={{ colour }} root={{ docroot_name }}\n',
  'roles/web/files/extra.txt': 'from the role\n',
  'roles/web/handlers/main.yml': '- name: web changed\n  copy:\n    content: "web handler\\n"\n    dest: "{{ dest }}/web-handler"\n',
  'files/static.txt': 'static content\n',
  'templates/app.conf.j2': '# {{ ansible_managed | default("managed") }}\n[app]\n{% for s in settings %}\n{{ s }}\n{% endfor %}\nenabled={{ (colour == "green") | bool }}\nname={{ "x" if groups["pis"] | length > 0 else "y" }}\n',
};

function writePlaybookDir(): string {
  const dir = mkdtempSync(path.join(work, 'src-'));
  writeFileSync(path.join(dir, 'site.yml'), PLAYBOOK);
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Every file under a node's folder: type, mode, content or link target. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const rel = path.relative(root, p);
      const st = lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[rel] = `link -> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[rel] = `dir ${mode}`;
        walk(p);
      } else out[rel] = `file ${mode} ${JSON.stringify(readFileSync(p, 'utf8'))}`;
    }
  };
  walk(root);
  return out;
}

const counts = (r: HostRecap | undefined) => r && { ok: r.ok, changed: r.changed, skipped: r.skipped, failed: r.failed, unreachable: r.unreachable, rescued: r.rescued, ignored: r.ignored };

describe.runIf(findAnsiblePlaybook())('Bramble and ansible-playbook agree', () => {
  it('same files and same counts on the first and second run', async () => {
    const [mine, twin] = [fleet.nodes[0]!, fleet.nodes[1]!];
    const src = writePlaybookDir();
    const project = mkdtempSync(path.join(work, 'project-'));
    exportAnsibleProject(project, { nodes: [asFleetNode(twin)], playbooks: [{ name: 'site.yml', path: path.join(src, 'site.yml') }], knownHostsPath: fleet.knownHostsPath, forks: 4 });
    const dest = `${remoteHome()}/compat`;
    const playbook = parsePlaybook(readFileSync(path.join(src, 'site.yml'), 'utf8'), { file: path.join(src, 'site.yml') });

    const runBramble = () => runPlaybook({ playbook, nodes: [asFleetNode(mine)], connect, extraVars: { dest } });
    const ansibleEvents: ProvisionEvent[] = [];
    const log: string[] = [];
    const runAnsible = async () => {
      const r = await runWithAnsible({ projectDir: project, playbook: 'site.yml', extraVars: { dest }, onEvent: (e) => ansibleEvents.push(e), onLog: (l) => log.push(l) });
      expect(r.exitCode, [...log, ...ansibleEvents.filter((e) => e.type === 'task-result' && e.status === 'failed').map((e) => JSON.stringify(e))].join('\n')).toBe(0);
      return r.recap;
    };

    const b1 = await runBramble();
    const a1 = await runAnsible();
    expect(counts(b1[mine.name]), formatRecap(b1)).toEqual(counts(a1[twin.name]));
    expect(b1[mine.name]).toMatchObject({ changed: 19, skipped: 2, failed: 0, rescued: 1 });
    // Role parameters beat role defaults, inventory vars beat role defaults, role vars are there.
    expect(readFileSync(path.join(mine.homeDir, 'compat', 'site.conf'), 'utf8')).toBe('port=8080 site=default-site colour=green root=www\n');
    expect(readFileSync(path.join(mine.homeDir, 'compat', 'env-out'), 'utf8')).toBe('hi green|from the play|from vars_files $(x)|True|www default-site\n');
    expect(snapshot(path.join(mine.homeDir, 'compat'))).toEqual(snapshot(path.join(twin.homeDir, 'compat')));

    // Ansible's events arrive in Bramble's shapes.
    expect(ansibleEvents.find((e) => e.type === 'task-result' && e.task === 'greeting')).toMatchObject({ host: twin.name, status: 'changed' });
    expect(ansibleEvents.find((e) => e.type === 'task-result' && e.task === 'never')).toMatchObject({ status: 'skipped' });
    expect(ansibleEvents.filter((e) => e.type === 'task-start' && e.host === twin.name).length).toBeGreaterThan(10);

    const b2 = await runBramble();
    const a2 = await runAnsible();
    expect(counts(b2[mine.name]), formatRecap(b2)).toEqual(counts(a2[twin.name]));
    expect(b2[mine.name]).toMatchObject({ changed: 0, failed: 0, rescued: 1 });
    expect(snapshot(path.join(mine.homeDir, 'compat'))).toEqual(snapshot(path.join(twin.homeDir, 'compat')));
  });

  it('exports an inventory and project Ansible reads, built-in playbooks included', () => {
    const project = mkdtempSync(path.join(work, 'export-'));
    const nodes = fleet.nodes.map(asFleetNode);
    exportAnsibleProject(project, {
      nodes,
      groupVars: { all: { ntp: 'pool.ntp.org' }, pis: { role: 'worker' } },
      playbooks: [
        { name: 'base-node.yml', path: path.resolve('assets/playbooks/base-node.yml') },
        { name: 'ssh-key-only.yml', path: path.resolve('assets/playbooks/ssh-key-only.yml') },
      ],
      knownHostsPath: fleet.knownHostsPath,
    });
    const inv = spawnSync('ansible-inventory', ['-i', 'inventory.yml', '--list'], { cwd: project, encoding: 'utf8', env: { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') } });
    expect(inv.status, inv.stderr).toBe(0);
    const listed = JSON.parse(inv.stdout) as { _meta: { hostvars: Record<string, Record<string, unknown>> }; pis: { hosts: string[] } };
    expect(listed.pis.hosts).toEqual(nodes.map((n) => n.name));
    expect(listed._meta.hostvars[nodes[0]!.name]).toMatchObject({
      ansible_host: nodes[0]!.host,
      ansible_port: 22,
      ansible_user: nodes[0]!.user,
      ansible_ssh_private_key_file: fleet.clientKeyPath,
      colour: 'green',
      ntp: 'pool.ntp.org',
      role: 'worker',
    });
    const cfg = readFileSync(path.join(project, 'ansible.cfg'), 'utf8');
    expect(cfg).toMatch(/^pipelining = True$/m);
    expect(cfg).toContain(`UserKnownHostsFile=${fleet.knownHostsPath}`);
    for (const pb of ['base-node.yml', 'ssh-key-only.yml']) {
      const r = spawnSync('ansible-playbook', ['--syntax-check', pb], { cwd: project, encoding: 'utf8', env: { ...process.env, ANSIBLE_CONFIG: path.join(project, 'ansible.cfg') } });
      // authorized_key lives in ansible.posix: without that collection the syntax check names it.
      if (pb === 'base-node.yml' && r.status !== 0) expect(r.stderr + r.stdout).toMatch(/authorized_key/);
      else expect(r.status, r.stderr).toBe(0);
    }
    expect(YAML.parse(readFileSync(path.join(project, 'inventory.yml'), 'utf8'))).toHaveProperty('all.children.pis.vars.role', 'worker');
  });
});
