// Ansible inventories in and out, with the real `ansible-inventory` as the
// judge: what Bramble reads from a file is what Ansible reads from it, and
// what Bramble writes, Ansible reads back as the same hosts, groups and vars.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FleetNode } from '../../shared/fleet';
import { connectionVars } from '../../electron/services/fleet/inventory-formats/ansible-export';
import { parseAnsibleIni, readAnsibleIni, toAnsibleIni } from '../../electron/services/fleet/inventory-formats/ansible-ini';
import type { AnsibleInventoryModel } from '../../electron/services/fleet/inventory-formats/ansible-model';
import { parseAnsibleYaml, readAnsibleYaml, toAnsibleYaml } from '../../electron/services/fleet/inventory-formats/ansible-yaml';
import { importInventoryFile } from '../../electron/services/fleet/inventory-formats/import-inventory-file';
import { InventoryFormatError, type InventoryDocument, type InventoryImport } from '../../electron/services/fleet/inventory-formats/inventory-import';

const fixtures = path.join(import.meta.dirname, 'fixtures/inventory');
const home = '/home/tester';
const options = { defaultUser: 'pi', homeDir: home };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-ansible-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface AnsibleList {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[]; vars?: Record<string, unknown> } | AnsibleList['_meta'];
}

/** What the real Ansible makes of a file; a file it cannot parse fails the test. */
function ansible(file: string, plugin: 'ini' | 'yaml', exportOnly: boolean): AnsibleList {
  const out = execFileSync('ansible-inventory', ['-i', file, '--list', ...(exportOnly ? ['--export'] : [])], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_INVENTORY_ENABLED: plugin, ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true', ANSIBLE_HOME: dir, ANSIBLE_NOCOLOR: '1' },
  });
  return JSON.parse(out) as AnsibleList;
}

function groupsOf(list: AnsibleList): Map<string, { hosts: string[]; children: string[]; vars: Record<string, unknown> }> {
  const out = new Map<string, { hosts: string[]; children: string[]; vars: Record<string, unknown> }>();
  for (const [name, g] of Object.entries(list)) {
    if (name === '_meta') continue;
    const group = g as { hosts?: string[]; children?: string[]; vars?: Record<string, unknown> };
    out.set(name, { hosts: [...(group.hosts ?? [])].sort(), children: [...(group.children ?? [])].sort(), vars: group.vars ?? {} });
  }
  return out;
}

/** Bramble's reading of a file and Ansible's agree on hosts, direct members, children, group vars and host vars. */
function expectSameAsAnsible(model: AnsibleInventoryModel, list: AnsibleList): void {
  const theirs = groupsOf(list);
  const hostsInGroups = new Set([...theirs.values()].flatMap((g) => g.hosts));
  expect([...model.hosts.keys()].sort()).toEqual([...hostsInGroups].sort());
  for (const [name, group] of theirs) {
    if (name === 'all') {
      expect(model.groups.get('all')!.vars).toEqual(group.vars);
      continue;
    }
    const mine = model.groups.get(name);
    expect(mine, `group ${name}`).toBeDefined();
    if (name === 'ungrouped') {
      // Ansible files hosts listed straight under `all` (YAML) as ungrouped.
      const loose = [...model.hosts.keys()].filter((h) => ![...model.groups].some(([g, d]) => g !== 'all' && g !== 'ungrouped' && d.hosts.includes(h)));
      expect(loose.sort(), 'ungrouped hosts').toEqual(group.hosts);
      continue;
    }
    expect([...mine!.hosts].sort(), `hosts of ${name}`).toEqual(group.hosts);
    expect([...mine!.children].sort(), `children of ${name}`).toEqual(group.children);
    expect(mine!.vars, `vars of ${name}`).toEqual(group.vars);
  }
  for (const [host, vars] of model.hosts) expect(vars, `vars of ${host}`).toEqual(list._meta.hostvars[host] ?? {});
}

/** The node Bramble made of each host connects the way Ansible would (Ansible's merged vars as the reference). */
function expectNodesConnectLikeAnsible(result: InventoryImport, merged: AnsibleList, exported: AnsibleList): void {
  const byAlias = new Map(result.renamed.map((r) => [r.entry, r.name]));
  const groups = groupsOf(exported);
  for (const [alias, vars] of Object.entries(merged._meta.hostvars)) {
    const node = result.nodes.find((n) => n.name === (byAlias.get(alias) ?? alias));
    if (!node) {
      expect(result.skipped.map((s) => s.entry), `${alias} is either a node or skipped`).toContain(alias);
      continue;
    }
    expect(node.host, alias).toBe(vars.ansible_host ?? alias);
    expect(node.port, alias).toBe(vars.ansible_port ?? 22);
    expect(node.user, alias).toBe(vars.ansible_user ?? 'pi');
    const key = vars.ansible_ssh_private_key_file as string | undefined;
    expect(node.auth, alias).toEqual(key ? { kind: 'key', path: key.replace(/^~/, home) } : vars.ansible_password ? { kind: 'password' } : { kind: 'agent' });
    const direct = [...groups].filter(([g, d]) => g !== 'all' && g !== 'ungrouped' && d.hosts.includes(alias)).map(([g]) => g);
    expect([...node.groups].sort(), `groups of ${alias}`).toEqual(direct.sort());
  }
}

/** Ansible reads Bramble's export back as exactly the nodes, groups and vars it was given. */
function expectAnsibleReadsBack(doc: InventoryDocument, list: AnsibleList): void {
  const theirs = groupsOf(list);
  for (const node of doc.nodes) {
    expect(list._meta.hostvars[node.name], `vars of ${node.name}`).toEqual(connectionVars(node));
    const direct = [...theirs].filter(([g, d]) => g !== 'all' && g !== 'ungrouped' && d.hosts.includes(node.name)).map(([g]) => g);
    expect(direct.sort(), `groups of ${node.name}`).toEqual([...node.groups].sort());
  }
  expect(Object.keys(list._meta.hostvars).sort()).toEqual(doc.nodes.map((n) => n.name).sort());
  for (const [g, vars] of Object.entries(doc.groupVars ?? {})) expect(theirs.get(g)?.vars, `vars of group ${g}`).toEqual(vars);
  for (const [g, children] of Object.entries(doc.groupChildren ?? {})) expect(theirs.get(g)?.children, `children of ${g}`).toEqual([...children].sort());
}

describe('Ansible INI inventories', () => {
  const file = path.join(fixtures, 'cluster.ini');
  const text = readFileSync(file, 'utf8');

  it('read the same hosts, groups, children and vars as ansible-inventory', () => {
    expectSameAsAnsible(readAnsibleIni(text, file), ansible(file, 'ini', true));
  });

  it('become nodes that connect as Ansible would, with names derived from IPs and FQDNs and passwords left out', () => {
    const result = parseAnsibleIni(text, { ...options, file });
    expectNodesConnectLikeAnsible(result, ansible(file, 'ini', false), ansible(file, 'ini', true));
    expect(result.nodes.map((n) => n.name)).toEqual([
      'bastion', 'pi-control', 'pi-worker-01', 'pi-worker-02', 'pi-worker-03', 'pi-worker-04', 'pi-spare', '192-168-1-30', 'old-pi', 'pi-gpu-a', 'pi-gpu-b',
    ]);
    expect(result.renamed.map((r) => [r.entry, r.name])).toEqual([
      ['bastion.example.net', 'bastion'],
      ['192.168.1.30', '192-168-1-30'],
    ]);
    const spare = result.nodes.find((n) => n.name === 'pi-spare')!;
    expect(spare).toMatchObject({ host: '192.168.1.20', port: 2222, user: 'ubuntu', supply: 'usb hub 1', auth: { kind: 'key', path: `${home}/.ssh/spare_ed25519` }, groups: ['workers'] });
    expect(result.nodes.find((n) => n.name === '192-168-1-30')!.vars).toEqual({ description: "node with a 'quoted' name", weight: 3, ratio: 0.5, enabled: true, tags: ['k3s', 'arm64'] });
    const oldPi = result.nodes.find((n) => n.name === 'old-pi')!;
    expect(oldPi.auth).toEqual({ kind: 'password' });
    expect(JSON.stringify(result)).not.toContain('hunter');
    expect(result.skipped).toEqual([
      { entry: 'old-pi: ansible_password', reason: expect.stringContaining('never copied') },
      { entry: 'old-pi: ansible_become_password', reason: expect.stringContaining('never copied') },
    ]);
    expect(result.groupVars.k3s).toEqual({ k3s_version: 'v1.30.1', ansible_port: 22 });
    expect(result.groupChildren.k3s).toEqual(['control', 'workers']);
  });

  it('write an inventory that ansible-inventory reads back the same, and that imports back to the same nodes', () => {
    const first = parseAnsibleIni(text, { ...options, file });
    const out = path.join(dir, 'export.ini');
    writeFileSync(out, toAnsibleIni(first));
    expectAnsibleReadsBack(first, ansible(out, 'ini', true));
    const again = parseAnsibleIni(readFileSync(out, 'utf8'), { ...options, file: out });
    expect(again.nodes).toEqual(first.nodes);
    expect(again.groupVars).toEqual(first.groupVars);
    expect(again.skipped).toEqual([]);
  });

  it('read Python-literal values and group names exactly as Ansible does', () => {
    const f = path.join(dir, 'tricky.ini');
    const tricky = [
      '[pi-nodes]',
      `n1 hex=0x1F under=1_000 neg=-5 exp=1e3 dot=1. lead=0755 t=True none=none tup="(1, 'x')" d="{'a': [1, None]}" cat="'a' 'b'" esc="'\\x41\\n'" word=yes`,
      '[pi-nodes:vars]',
      "spaced =  'two words'  ",
      'list=[1, 2,]',
      'raw=a=b=c',
    ].join('\n');
    writeFileSync(f, tricky);
    const model = readAnsibleIni(tricky, f);
    expectSameAsAnsible(model, ansible(f, 'ini', true));
    expect(model.groups.has('pi-nodes')).toBe(true);
    expect(model.hosts.get('n1')).toMatchObject({ hex: 31, under: 1000, neg: -5, exp: 1000, lead: '0755', none: 'none', cat: 'ab', esc: 'A\n' });
  });

  it.each([
    ['[web\nnode1', 1, /"\[web" is not a valid section header/],
    ['[web]\nnode1 "unclosed=1', 2, /quotation mark is not closed/],
    ['[web]\nnode1 justaword', 2, /expected key=value after the host name, got "justaword"/],
    ['[web:vars]\nx=1', 1, /\[web:vars\] is for a group that is never declared/],
    ['[web:children]\nghost\n[web]\nn1', 2, /names a group "ghost" that is never declared/],
    ['[web:stuff]\nn1', 1, /unknown type "stuff"/],
    ['[web]\nnode-[1:]', 2, /must specify an end value/],
    ['[web]\nnode-[01:9]', 2, /same length/],
  ])('reject %j with the file, the line and what is wrong, as Ansible does', (bad, line, message) => {
    const f = path.join(dir, 'bad.ini');
    writeFileSync(f, bad);
    expect(() => ansible(f, 'ini', true)).toThrow();
    let error: unknown;
    try {
      parseAnsibleIni(bad, { ...options, file: f });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InventoryFormatError);
    expect((error as InventoryFormatError).line).toBe(line);
    expect((error as Error).message).toMatch(new RegExp(`^${f.replace(/[/.]/g, '\\$&')}, line ${line}: `));
    expect((error as Error).message).toMatch(message);
  });
});

describe('Ansible YAML inventories', () => {
  const file = path.join(fixtures, 'cluster.yml');
  const text = readFileSync(file, 'utf8');

  it('read the same hosts, groups, children and vars as ansible-inventory, YAML 1.1 values included', () => {
    const model = readAnsibleYaml(text, file);
    expectSameAsAnsible(model, ansible(file, 'yaml', true));
    expect(model.groups.get('k3s')!.vars.swap).toBe(false);
    expect(model.groups.get('workers')!.vars.mode).toBe('0755');
  });

  it('become nodes that connect as Ansible would', () => {
    const result = parseAnsibleYaml(text, { ...options, file });
    expectNodesConnectLikeAnsible(result, ansible(file, 'yaml', false), ansible(file, 'yaml', true));
    expect(result.nodes.find((n) => n.name === 'pi-worker-01')!.groups.sort()).toEqual(['gpu', 'workers']);
    expect(result.nodes.find((n) => n.name === 'pi-gpu-a')).toMatchObject({ user: 'gpuadmin', vars: { cuda: null } });
    expect(result.groupChildren).toMatchObject({ k3s: ['control', 'workers'], workers: ['gpu'] });
  });

  it('write an inventory that ansible-inventory reads back the same, and that imports back to the same nodes', () => {
    const first = parseAnsibleYaml(text, { ...options, file });
    const out = path.join(dir, 'export.yml');
    writeFileSync(out, toAnsibleYaml(first));
    expectAnsibleReadsBack(first, ansible(out, 'yaml', true));
    const again = parseAnsibleYaml(readFileSync(out, 'utf8'), { ...options, file: out });
    expect(again.nodes).toEqual(first.nodes);
    expect(again.groupVars).toEqual(first.groupVars);
    expect(again.groupChildren).toEqual(first.groupChildren);
  });

  it('reject broken YAML with the file and line', () => {
    const bad = 'all:\n  hosts:\n    pi1: {ansible_host: [unclosed\n';
    expect(() => parseAnsibleYaml(bad, { ...options, file: 'inv.yml' })).toThrow(/^inv\.yml, line \d+: not valid YAML/);
    expect(() => parseAnsibleYaml('- just\n- a list\n', { ...options, file: 'inv.yml' })).toThrow('inv.yml, line 1: an Ansible YAML inventory is a mapping of group names');
  });
});

describe('hostile values', () => {
  const yaml = `all:
  hosts:
    "node 1": {}
    "$(reboot)": {}
    "pi\\nevil": {}
    good1:
      ansible_host: "pi; rm -rf /"
    good2:
      ansible_user: "root$(id)"
    good3:
      ansible_port: "22 -oProxyCommand=x"
    carrier:
      motd: "line one\\nline two $(not run) \`x\` 'q' \\"dq\\" # not a comment"
      weird: "=;[all]"
`;

  it('skip names, addresses and users that are not safe, each with a reason quoting the value', () => {
    const result = parseAnsibleYaml(yaml, { ...options, file: 'hostile.yml' });
    expect(result.nodes.map((n) => n.name)).toEqual(['carrier']);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.entry, s.reason]));
    expect(reasons['node 1']).toContain('"node 1" is not a usable node name');
    expect(reasons['$(reboot)']).toContain('"$(reboot)" is not a usable node name');
    expect(reasons['pi\nevil']).toContain('"pi\\nevil" is not a usable node name');
    expect(reasons.good1).toBe('ansible_host "pi; rm -rf /" is not usable: a host name or IP address');
    expect(reasons.good2).toMatch(/^ansible_user "root\$\(id\)" is not usable: a Unix user name/);
    expect(reasons.good3).toMatch(/^ansible_port /);
  });

  it('carry odd var values as data, through INI and YAML exports, exactly', () => {
    const result = parseAnsibleYaml(yaml, { ...options, file: 'hostile.yml' });
    const carrier = result.nodes[0]!;
    expect(carrier.vars.motd).toBe('line one\nline two $(not run) `x` \'q\' "dq" # not a comment');
    for (const [name, write, plugin] of [
      ['out.ini', toAnsibleIni, 'ini'],
      ['out.yml', toAnsibleYaml, 'yaml'],
    ] as const) {
      const out = path.join(dir, name);
      writeFileSync(out, write({ nodes: [carrier] }));
      expectAnsibleReadsBack({ nodes: [carrier] }, ansible(out, plugin, true));
    }
  });

  it('never export a password, and refuse a var name INI cannot hold rather than mangle it', () => {
    const node: FleetNode = { name: 'pi1', host: 'pi1.lan', port: 22, user: 'pi', auth: { kind: 'password' }, groups: [], vars: { ansible_password: 'x', 'bad key': 1 } };
    expect(toAnsibleYaml({ nodes: [node] })).not.toContain('ansible_password');
    expect(() => toAnsibleIni({ nodes: [node] })).toThrow('variable "bad key" of pi1 cannot be written to an INI inventory (use YAML)');
  });
});

describe('importInventoryFile', () => {
  it('picks INI or YAML by extension, and by content when there is none', () => {
    const noExt = path.join(dir, 'mycluster');
    writeFileSync(noExt, readFileSync(path.join(fixtures, 'cluster.yml')));
    expect(importInventoryFile(noExt, options).format).toBe('ansible-yaml');
    writeFileSync(noExt, readFileSync(path.join(fixtures, 'cluster.ini')));
    const ini = importInventoryFile(noExt, options);
    expect(ini.format).toBe('ansible-ini');
    expect(ini.nodes).toHaveLength(11);
    expect(importInventoryFile(path.join(fixtures, 'cluster.yml'), options).nodes.length).toBeGreaterThan(5);
  });

  it('names the file for one that cannot be read', () => {
    expect(() => importInventoryFile(path.join(dir, 'missing.ini'), options)).toThrow(/missing\.ini: cannot be read/);
    const bin = path.join(dir, 'disk.img');
    writeFileSync(bin, Buffer.from([0, 1, 2, 0]));
    expect(() => importInventoryFile(bin, options)).toThrow('disk.img: this is a binary file, not an inventory');
  });
});
