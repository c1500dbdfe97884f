// Reading playbooks: Ansible's forms (FQCN, free-form, key=value, args:, YAML 1.1
// octal modes and yes/no) and the up-front report of everything unsupported.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allTasks, parseFreeFormCommand, parseKeyValues, parsePlaybook, PlaybookError, splitArgs } from '../../electron/services/provision/playbook';

/** A playbook folder with these files, for imports and roles. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bramble-pb-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function problems(yaml: string): string[] {
  try {
    parsePlaybook(yaml, { file: 'site.yml', baseDir: '/tmp' });
  } catch (e) {
    if (e instanceof PlaybookError) return e.problems;
    throw e;
  }
  return [];
}

describe('parsePlaybook', () => {
  it('reads plays, FQCN modules, free-form and key=value arguments', () => {
    const pb = parsePlaybook(
      `
- name: web
  hosts: pis:!node-03
  become: yes
  vars: { port: 8080 }
  tasks:
    - name: conf
      ansible.builtin.copy:
        content: "x"
        dest: /etc/x
        mode: 0644
    - command: touch /tmp/a creates=/tmp/a chdir="/tmp/my dir"
    - apt: name=vim state=present
    - name: with args
      shell: echo hi
      args: { creates: /tmp/hi }
      notify: restart
      tags: [web, conf]
      when: port == 8080
      loop: [1, 2]
  handlers:
    - name: restart
      ansible.builtin.service: { name: nginx, state: restarted }
`,
      { file: 'site.yml', baseDir: '/tmp' },
    );
    const [play] = pb.plays;
    expect(play!.hosts).toBe('pis:!node-03');
    expect(play!.become).toBe(true);
    expect(play!.gatherFacts).toBe(true);
    const [copy, command, apt, shell] = play!.tasks;
    expect(copy).toMatchObject({ module: 'copy', args: { content: 'x', dest: '/etc/x', mode: 0o644 } });
    expect(command).toMatchObject({ module: 'command', name: 'command', args: { cmd: 'touch /tmp/a', creates: '/tmp/a', chdir: '/tmp/my dir' } });
    expect(apt).toMatchObject({ module: 'apt', args: { name: 'vim', state: 'present' } });
    expect(shell).toMatchObject({ module: 'shell', args: { cmd: 'echo hi', creates: '/tmp/hi' }, notify: ['restart'], tags: ['web', 'conf'], when: ['port == 8080'], loop: [1, 2] });
    expect(play!.handlers[0]).toMatchObject({ module: 'service', name: 'restart' });
  });

  it('names every unsupported module, key and argument with its file, play and task, before anything runs', () => {
    const found = problems(`
- name: setup
  hosts: all
  serial: 2
  tasks:
    - name: get docker
      community.docker.docker_container: { name: x }
    - name: bad arg
      copy: { content: x, dest: /x, validate: "visudo -cf %s" }
    - name: delegated
      command: uptime
      delegate_to: localhost
    - name: block
      block:
        - debug: msg=hi
      delegate_to: localhost
    - name: stray rescue
      command: uptime
      rescue:
        - command: "true"
    - name: notify nobody
      command: /bin/true
      notify: missing handler
`);
    expect(found).toEqual(
      expect.arrayContaining([
        'site.yml: play "setup": unsupported play keyword "serial"',
        'site.yml: play "setup", task "get docker": unsupported module "community.docker.docker_container"',
        'site.yml: play "setup", task "bad arg": module copy does not support argument "validate"',
        'site.yml: play "setup", task "delegated": unsupported task key "delegate_to"',
        'site.yml: play "setup", task "block": unsupported key "delegate_to" on a block',
        'site.yml: play "setup", task "stray rescue": "rescue" belongs to a block',
        'site.yml: play "setup", task "notify nobody": notifies "missing handler", which is no handler of this play',
      ]),
    );
    expect(found, found.join('\n')).toHaveLength(7);
    expect(problems(`- hosts: all\n  tasks:\n    - command: "true"\n      retries: 3\n`)[0]).toMatch(/retries and delay need until/);
    expect(problems(`- hosts: all\n  vars_files: [nowhere.yml]\n  tasks: []\n`)[0]).toMatch(/vars_files "nowhere.yml": no such file/);
  });

  it("hands a block's when, tags, vars and become down to every task in it, nested blocks too", () => {
    const pb = parsePlaybook(`
- hosts: all
  tasks:
    - name: outer
      when: ready
      tags: [setup]
      become: true
      vars: { a: 1, b: 1 }
      block:
        - name: inner block
          when: also
          tags: web
          vars: { b: 2 }
          block:
            - name: leaf
              command: "true"
              when: last
              become: false
      rescue:
        - name: fix
          command: "true"
      always:
        - name: tidy
          command: "true"
          tags: [cleanup]
`);
    const outer = pb.plays[0]!.tasks[0]!;
    expect(outer.block!.tasks[0]!.block).toBeDefined();
    const leaf = outer.block!.tasks[0]!.block!.tasks[0]!;
    expect(leaf).toMatchObject({ name: 'leaf', when: ['ready', 'also', 'last'], tags: ['setup', 'web'], vars: { a: 1, b: 2 }, become: false });
    expect(outer.block!.rescue[0]).toMatchObject({ name: 'fix', when: ['ready'], tags: ['setup'], become: true });
    expect(outer.block!.always[0]).toMatchObject({ name: 'tidy', tags: ['setup', 'cleanup'] });
  });

  it('accepts Ansible argument aliases and rejects giving both names', () => {
    const pb = parsePlaybook(`- hosts: all\n  tasks:\n    - file: { dest: /x, state: directory }\n`);
    expect(pb.plays[0]!.tasks[0]!.args).toEqual({ path: '/x', state: 'directory' });
    expect(problems(`- hosts: all\n  tasks:\n    - file: { dest: /x, path: /y }\n`)[0]).toMatch(/both "dest" and "path"/);
  });

  it('refuses YAML that is not a playbook', () => {
    expect(problems('hosts: all')[0]).toMatch(/a playbook is a list of plays/);
    expect(problems('- hosts: all\n  tasks: [ {')[0]).toMatch(/site.yml/);
    expect(problems('- name: x\n  tasks: []')[0]).toMatch(/hosts is required/);
  });

  it('keeps !unsafe values away from templating', () => {
    const pb = parsePlaybook(`- hosts: all\n  vars:\n    raw: !unsafe "{{ not a template }}"\n  tasks: []\n`);
    expect(String(pb.plays[0]!.vars.raw)).toBe('{{ not a template }}');
  });
});

describe('argument splitting', () => {
  it('keeps quotes and jinja blocks together like Ansible split_args', () => {
    expect(splitArgs(`a="b c" d={{ x | default('y z') }} e`)).toEqual([`a="b c"`, `d={{ x | default('y z') }}`, 'e']);
    expect(parseKeyValues(`name="my pkg" state=present`)).toEqual({ name: 'my pkg', state: 'present' });
    expect(parseFreeFormCommand(`echo "a b" removes=/x`)).toEqual({ cmd: 'echo "a b"', removes: '/x' });
    expect(() => parseKeyValues('notkv')).toThrow(/key=value/);
  });
});

describe('imports and roles', () => {
  it('resolves a nested import beside the importing file, then from the playbook folder; names an import cycle', () => {
    const dir = folder({
      'tasks/a.yml': '- import_tasks: tasks/b.yml\n- import_tasks: c.yml\n',
      'tasks/b.yml': '- name: from b\n  command: "true"\n',
      'tasks/c.yml': '- name: from c\n  command: "true"\n',
      'tasks/loop.yml': '- import_tasks: loop.yml\n',
    });
    const pb = parsePlaybook('- hosts: all\n  tasks:\n    - import_tasks: tasks/a.yml\n', { file: path.join(dir, 'site.yml') });
    expect(allTasks(pb.plays[0]!.tasks).map((t) => t.name)).toEqual(['from b', 'from c']);
    let found: string[] = [];
    try {
      parsePlaybook('- hosts: all\n  tasks:\n    - import_tasks: tasks/loop.yml\n', { file: path.join(dir, 'site.yml') });
    } catch (e) {
      found = (e as PlaybookError).problems;
    }
    expect(found).toEqual([expect.stringMatching(/import_tasks loop.yml imports itself \(loop.yml → loop.yml\)/)]);
  });

  it("gives a role's handlers its keywords and its \"role : name\", runs a role listed twice once, and shows its vars to the play", () => {
    const dir = folder({
      'roles/r/tasks/main.yml': '- name: t\n  command: "true"\n  notify: h\n',
      'roles/r/handlers/main.yml': '- name: h\n  command: "true"\n',
      'roles/r/defaults/main.yml': 'd: 1\n',
      'roles/r/vars/main.yml': 'v: 2\n',
    });
    const pb = parsePlaybook('- hosts: all\n  roles:\n    - { role: r, become: true, when: ready }\n    - { role: r, become: true, when: ready }\n  tasks:\n    - command: "true"\n      notify: "r : h"\n', { file: path.join(dir, 'site.yml') });
    const play = pb.plays[0]!;
    expect(play.tasks.map((t) => t.name)).toEqual(['r : t', 'command']);
    expect(play.handlers).toHaveLength(1);
    expect(play.handlers[0]).toMatchObject({ name: 'h', listen: ['r : h'], become: true, when: ['ready'] });
    expect(play.roleDefaults).toEqual({ d: 1 });
    expect(play.roleVars).toEqual({ v: 2 });
  });
});

