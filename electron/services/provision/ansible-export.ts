// Bramble's inventory and playbooks as a folder Ansible uses as is: an
// inventory.yml, an ansible.cfg (pipelining, host keys checked against the
// known_hosts Bramble keeps), the playbooks with their files/ and templates/,
// and the JSON-lines callback that lets Bramble read ansible-playbook's results.
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { FleetNode } from '../../../shared/fleet';
import { BRAMBLE_JSONL_CALLBACK } from './ansible-callback';

export interface InventoryExportOptions {
  groupVars?: Record<string, Record<string, unknown>>;
}

/** Ansible's YAML inventory: every node under all.hosts with its connection vars and host vars, groups as children. */
export function ansibleInventory(nodes: FleetNode[], o: InventoryExportOptions = {}): string {
  const hosts: Record<string, Record<string, unknown>> = {};
  const children: Record<string, { hosts: Record<string, null>; vars?: Record<string, unknown> }> = {};
  for (const n of nodes) {
    hosts[n.name] = {
      ...n.vars,
      ansible_host: n.host,
      ansible_port: n.port,
      ansible_user: n.user,
      ...(n.auth.kind === 'key' ? { ansible_ssh_private_key_file: n.auth.path } : {}),
    };
    for (const g of n.groups) (children[g] ??= { hosts: {} }).hosts[n.name] = null;
  }
  for (const [g, vars] of Object.entries(o.groupVars ?? {})) {
    if (g === 'all') continue;
    (children[g] ??= { hosts: {} }).vars = vars;
  }
  const all: Record<string, unknown> = { hosts };
  if (o.groupVars?.all && Object.keys(o.groupVars.all).length) all.vars = o.groupVars.all;
  if (Object.keys(children).length) all.children = children;
  return YAML.stringify({ all }, { lineWidth: 0 });
}

export interface AnsibleConfigOptions {
  /** known_hosts file the nodes' host keys are checked against. */
  knownHostsPath: string;
  forks?: number;
}

export function ansibleConfig(o: AnsibleConfigOptions): string {
  const q = (p: string) => (/[\s"'\\]/.test(p) ? `"${p.replace(/(["\\])/g, '\\$1')}"` : p);
  return [
    '# Written by Bramble. Paths are relative to this folder.',
    '[defaults]',
    'inventory = inventory.yml',
    'host_key_checking = True',
    `forks = ${o.forks ?? 16}`,
    'callback_plugins = callback_plugins',
    'interpreter_python = auto_silent',
    'retry_files_enabled = False',
    'nocows = True',
    '',
    '[ssh_connection]',
    'pipelining = True',
    `ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${q(o.knownHostsPath)} -o StrictHostKeyChecking=yes`,
    '',
  ].join('\n');
}

export interface PlaybookSource {
  /** File name in the export, e.g. site.yml. */
  name: string;
  /** The playbook's own file; its folder's files/ and templates/ are copied along. */
  path: string;
}

export interface ProjectExportOptions extends InventoryExportOptions, AnsibleConfigOptions {
  nodes: FleetNode[];
  playbooks: PlaybookSource[];
}

/** Writes the folder; returns the paths written, for the UI to show. */
export function exportAnsibleProject(dir: string, o: ProjectExportOptions): string[] {
  mkdirSync(path.join(dir, 'callback_plugins'), { recursive: true });
  const written: string[] = [];
  const put = (rel: string, text: string, mode = 0o644) => {
    const p = path.join(dir, rel);
    writeFileSync(p, text);
    chmodSync(p, mode);
    written.push(p);
  };
  put('inventory.yml', ansibleInventory(o.nodes, o));
  put('ansible.cfg', ansibleConfig(o));
  put('callback_plugins/bramble_jsonl.py', BRAMBLE_JSONL_CALLBACK);
  for (const pb of o.playbooks) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/.test(pb.name)) throw new Error(`not a playbook file name: ${pb.name}`);
    put(pb.name, readFileSync(pb.path, 'utf8'));
    for (const sub of ['files', 'templates', 'roles', ...varsFilesOf(pb.path), ...importsOf(pb.path)]) {
      const from = path.join(path.dirname(pb.path), sub);
      if (existsSync(from)) {
        mkdirSync(path.dirname(path.join(dir, sub)), { recursive: true });
        cpSync(from, path.join(dir, sub), { recursive: true });
        written.push(path.join(dir, sub));
      }
    }
  }
  return written;
}

/** The vars_files a playbook names relative to its own folder (absolute ones resolve as they are). */
function varsFilesOf(file: string): string[] {
  return playsOf(file)
    .flatMap((play) => [play.vars_files].flat())
    .filter(isInside);
}

/**
 * The task files its plays import, relative to its folder, and the files those
 * import in turn (beside the importing file, else from the playbook folder, as
 * Ansible resolves them). Files outside the folder are left where they are.
 */
function importsOf(file: string): string[] {
  const root = path.dirname(file);
  const found = new Set<string>();
  const walk = (v: unknown, from: string): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, from));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k !== 'import_tasks' && k !== 'ansible.builtin.import_tasks') || typeof x !== 'string') walk(x, from);
        else {
          const target = [path.resolve(from, x), path.resolve(root, x)].find((c) => existsSync(c));
          const rel = target && path.relative(root, target);
          if (!target || !isInside(rel) || found.has(rel)) continue;
          found.add(rel);
          walk(yamlOf(target), path.dirname(target));
        }
      }
    }
  };
  walk(playsOf(file), root);
  return [...found];
}

function yamlOf(file: string): unknown {
  try {
    return YAML.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function playsOf(file: string): Record<string, unknown>[] {
  const doc = yamlOf(file);
  return Array.isArray(doc) ? doc.filter((p): p is Record<string, unknown> => !!p && typeof p === 'object') : [];
}

function isInside(f: unknown): f is string {
  return typeof f === 'string' && !path.isAbsolute(f) && !path.normalize(f).startsWith('..');
}
