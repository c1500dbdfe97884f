// Playbooks as Ansible writes them, read into plays and tasks Bramble can run.
// Everything Bramble cannot do (a module, a play or task keyword, a module
// argument) is reported up front, all at once, naming the file, play and task,
// so nothing runs half-way through a playbook that was never going to work.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { findModule, moduleKeys } from './modules';
import { Unsafe } from './template';

export interface Task {
  name: string;
  /** Canonical module name (or 'meta'). */
  module: string;
  args: Record<string, unknown>;
  when: unknown[];
  loop?: unknown;
  loopVar: string;
  indexVar?: string;
  loopLabel?: unknown;
  register?: string;
  ignoreErrors: unknown;
  tags: string[];
  notify: string[];
  listen: string[];
  become?: unknown;
  becomeUser?: string;
  checkMode?: unknown;
  changedWhen?: unknown[];
  /** Environment variables for the task's commands (a mapping, or a template giving one); the play's and blocks' are merged in. */
  environment: unknown[];
  /** retries/until/delay: run again until the condition holds. */
  until?: { conditions: unknown[]; retries: unknown; delay: unknown };
  failedWhen?: unknown[];
  vars: Record<string, unknown>;
  noLog: boolean;
  /** From a role: its folder (files/ and templates/ are looked up there first) and its defaults (the lowest-ranked variables). */
  role?: { name: string; dir: string; defaults: Record<string, unknown> };
  /** A block: its tasks, then rescue when one of them failed, then always. The block's own keywords are already in each child. */
  block?: { tasks: Task[]; rescue: Task[]; always: Task[] };
}

export interface Play {
  name: string;
  hosts: string | string[];
  become: unknown;
  becomeUser?: string;
  gatherFacts: boolean;
  vars: Record<string, unknown>;
  tasks: Task[];
  handlers: Task[];
  tags: string[];
  /** The play's environment mappings, applied under each task's own. */
  environment: unknown[];
  /** Its roles' defaults (below everything) and vars (above the play's vars): the whole play sees them, as in Ansible. */
  roleDefaults: Record<string, unknown>;
  roleVars: Record<string, unknown>;
}

export interface Playbook {
  plays: Play[];
  /** Folder that copy src, template src and lookup('file') are relative to. */
  baseDir: string;
  file: string;
}

export class PlaybookError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems:\n- ${problems.join('\n- ')}`);
    this.name = 'PlaybookError';
  }
}

const PLAY_KEYS = new Set(['name', 'hosts', 'become', 'become_user', 'become_method', 'gather_facts', 'vars', 'vars_files', 'roles', 'tasks', 'pre_tasks', 'post_tasks', 'handlers', 'tags', 'environment']);
const TASK_KEYS = new Set([
  'name', 'when', 'loop', 'with_items', 'with_list', 'loop_control', 'register', 'ignore_errors', 'tags', 'notify', 'become', 'become_user',
  'become_method', 'check_mode', 'changed_when', 'failed_when', 'vars', 'no_log', 'args', 'listen', 'environment', 'retries', 'until', 'delay',
]);
/** Ansible keywords Bramble knows but does not do: named as such, not as unknown modules. */
const KNOWN_UNSUPPORTED = new Set([
  'delegate_to', 'delegate_facts', 'run_once', 'local_action', 'async',
  'poll', 'serial', 'strategy', 'vars_prompt', 'remote_user', 'connection', 'any_errors_fatal', 'max_fail_percentage',
  'throttle', 'with_dict', 'with_fileglob', 'with_sequence', 'with_nested', 'with_together', 'with_subelements', 'import_playbook', 'include_tasks',
  'include_role', 'import_role', 'include_vars', 'diff', 'order', 'port', 'collections', 'module_defaults', 'debugger', 'timeout',
]);
const TASK_KEYWORD_ONLY = new Set(['include_tasks', 'include_role', 'import_role', 'include_vars']);

const FREE_FORM_COMMAND_KEYS = ['creates', 'removes', 'chdir', 'executable', 'stdin'];

const NameList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function tagList(v: unknown): string[] {
  return asList(v).flatMap((t) => String(t).split(',')).map((t) => t.trim()).filter(Boolean);
}

/**
 * Ansible's split_args: split on whitespace outside quotes and outside
 * `{{ }}` / `{% %}` / `{# #}` blocks, keeping the quotes in the tokens.
 */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const two = s.slice(i, i + 2);
    if (!quote && ['{{', '{%', '{#'].includes(two)) {
      depth++;
      cur += two;
      i++;
      continue;
    }
    if (!quote && depth > 0 && ['}}', '%}', '#}'].includes(two)) {
      depth--;
      cur += two;
      i++;
      continue;
    }
    if (c === '\\' && quote && i + 1 < s.length) {
      cur += c + s[++i];
      continue;
    }
    if (quote) {
      if (c === quote) quote = undefined;
      cur += c;
      continue;
    }
    if ((c === '"' || c === "'") && depth === 0) {
      quote = c;
      cur += c;
      continue;
    }
    if (/\s/.test(c) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (quote || depth) throw new Error(`unbalanced quotes or jinja2 blocks in ${JSON.stringify(s)}`);
  if (cur) out.push(cur);
  return out;
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0] ? v.slice(1, -1).replace(/\\(["'\\])/g, '$1') : v;
}

/** `name=vim state=present` (Ansible's key=value form). */
export function parseKeyValues(s: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const tok of splitArgs(s)) {
    const i = tok.indexOf('=');
    if (i <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tok.slice(0, i))) throw new Error(`expected key=value, got ${JSON.stringify(tok)}`);
    out[tok.slice(0, i)] = unquote(tok.slice(i + 1));
  }
  return out;
}

/** `command: ls -l creates=/x chdir=/tmp`: the command text with Ansible's special k=v pulled out. */
export function parseFreeFormCommand(s: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rest: string[] = [];
  for (const tok of splitArgs(s)) {
    const m = /^([a-z_]+)=([\s\S]*)$/.exec(tok);
    if (m && FREE_FORM_COMMAND_KEYS.includes(m[1]!)) out[m[1]!] = unquote(m[2]!);
    else rest.push(tok);
  }
  out.cmd = rest.join(' ');
  return out;
}

interface Where {
  file: string;
  play: string;
  task?: string;
}
function at(w: Where): string {
  return `${w.file}: play "${w.play}"${w.task !== undefined ? `, task "${w.task}"` : ''}`;
}

/** What a block hands down to every task in it, as Ansible does. */
interface Inherited {
  when: unknown[];
  tags: string[];
  vars: Record<string, unknown>;
  become?: unknown;
  becomeUser?: string;
  ignoreErrors?: unknown;
  checkMode?: unknown;
  noLog: boolean;
  environment: unknown[];
  role?: Task['role'];
  /** Where import_tasks looks for its file: beside the file importing, then the playbook's folder (or the role's tasks/), as Ansible does. */
  importDirs: string[];
  /** The task files being imported, outermost first: a file importing itself is a cycle. */
  importing: string[];
}
const NOTHING_INHERITED: Inherited = { when: [], tags: [], vars: {}, noLog: false, environment: [], importDirs: [], importing: [] };
const IMPORT_KEYS = new Set(['name', 'import_tasks', 'ansible.builtin.import_tasks', 'when', 'tags', 'vars', 'become', 'become_user', 'ignore_errors', 'environment', 'no_log']);
const BLOCK_KEYS = new Set(['name', 'block', 'rescue', 'always', 'when', 'tags', 'vars', 'become', 'become_user', 'become_method', 'ignore_errors', 'check_mode', 'no_log', 'environment']);

/** A task's (or block's) own keywords over what its blocks, imports and role hand down: the rules both follow. */
function handDown(inherited: Inherited, t: Record<string, unknown>): Inherited {
  const vars = t.vars && typeof t.vars === 'object' && !Array.isArray(t.vars) ? (t.vars as Record<string, unknown>) : {};
  return {
    ...inherited,
    when: [...inherited.when, ...asList(t.when)],
    tags: [...new Set([...inherited.tags, ...tagList(t.tags)])],
    vars: { ...inherited.vars, ...vars },
    become: t.become ?? inherited.become,
    becomeUser: typeof t.become_user === 'string' ? t.become_user : inherited.becomeUser,
    ignoreErrors: t.ignore_errors ?? inherited.ignoreErrors,
    checkMode: t.check_mode ?? inherited.checkMode,
    noLog: inherited.noLog || t.no_log === true || t.no_log === 'yes' || t.no_log === 'true',
    environment: t.environment === undefined ? inherited.environment : [...inherited.environment, t.environment],
  };
}

function readBlock(t: Record<string, unknown>, where: Where, problems: string[], isHandler: boolean, inherited: Inherited): Task | undefined {
  const name = typeof t.name === 'string' ? t.name : 'block';
  const w = { ...where, task: name };
  if (isHandler) problems.push(`${at(w)}: blocks are not supported in handlers`);
  for (const k of Object.keys(t)) if (!BLOCK_KEYS.has(k)) problems.push(`${at(w)}: ${KNOWN_UNSUPPORTED.has(k) ? 'unsupported' : 'unknown'} key "${k}" on a block`);
  for (const k of ['become_method']) if (k in t && t[k] !== 'sudo') problems.push(`${at(w)}: only become_method sudo is supported, not "${String(t[k])}"`);
  const vars = t.vars ?? {};
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) problems.push(`${at(w)}: vars must be a mapping`);
  const down = handDown(inherited, t);
  const list = (key: 'block' | 'rescue' | 'always'): Task[] => {
    const v = t[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      problems.push(`${at(w)}: ${key} must be a list of tasks`);
      return [];
    }
    return v.map((c) => readTask(c, where, problems, isHandler, down)).filter((c): c is Task => !!c);
  };
  const block = { tasks: list('block'), rescue: list('rescue'), always: list('always') };
  return {
    name,
    module: 'block',
    args: {},
    when: [],
    loopVar: 'item',
    ignoreErrors: false,
    tags: down.tags,
    notify: [],
    listen: [],
    vars: {},
    noLog: down.noLog,
    environment: [],
    block,
  };
}

/**
 * import_tasks: a static include, read now and run as the tasks it holds with
 * the import's keywords handed down (a block without rescue, as Ansible treats it).
 */
function readImport(t: Record<string, unknown>, where: Where, problems: string[], isHandler: boolean, inherited: Inherited): Task | undefined {
  const file = t.import_tasks ?? t['ansible.builtin.import_tasks'];
  const w = { ...where, task: typeof t.name === 'string' ? t.name : `import_tasks ${String(file)}` };
  for (const k of Object.keys(t)) if (!IMPORT_KEYS.has(k)) problems.push(`${at(w)}: key "${k}" is not supported on import_tasks`);
  if (typeof file !== 'string' || /{{|{%/.test(file)) {
    problems.push(`${at(w)}: import_tasks takes a file name (templated names are not supported)`);
    return undefined;
  }
  const candidates = inherited.importDirs.map((d) => path.resolve(d, file));
  const found = candidates.find((c) => existsSync(c)) ?? candidates[0] ?? path.resolve(file);
  if (inherited.importing.includes(found)) {
    problems.push(`${at(w)}: import_tasks ${file} imports itself (${[...inherited.importing, found].map((f) => path.basename(f)).join(' → ')})`);
    return undefined;
  }
  const tasks = readYaml(found, 'list', found, w, problems);
  if (!tasks) return undefined;
  const keywords = Object.fromEntries(Object.entries(t).filter(([k]) => !k.endsWith('import_tasks')));
  return readBlock({ ...keywords, name: w.task, block: tasks }, where, problems, isHandler, {
    ...inherited,
    importDirs: [path.dirname(found), ...inherited.importDirs.slice(-1)],
    importing: [...inherited.importing, found],
  });
}

/**
 * A YAML file beside the playbook (tasks, vars, a role's parts): its list or
 * mapping, or undefined with the problem noted under `label`. Empty is empty.
 */
function readYaml(file: string, kind: 'list', label: string, w: Where, problems: string[]): unknown[] | undefined;
function readYaml(file: string, kind: 'mapping', label: string, w: Where, problems: string[]): Record<string, unknown> | undefined;
function readYaml(file: string, kind: 'list' | 'mapping', label: string, w: Where, problems: string[]): unknown[] | Record<string, unknown> | undefined {
  let data: unknown;
  try {
    data = YAML.parse(readFileSync(file, 'utf8'), { version: '1.1', customTags: [unsafeTag] });
  } catch (e) {
    problems.push(`${at(w)}: ${label}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    return undefined;
  }
  if (data === null || data === undefined) return kind === 'list' ? [] : {};
  if (kind === 'list' ? Array.isArray(data) : typeof data === 'object' && !Array.isArray(data)) return data as unknown[] | Record<string, unknown>;
  problems.push(`${at(w)}: ${label} must hold a ${kind === 'list' ? 'list of tasks' : 'mapping'}`);
  return undefined;
}

/** The first of main.yml / main.yaml in a role's subfolder. */
function roleFile(dir: string, sub: string): string | undefined {
  return ['main.yml', 'main.yaml'].map((f) => path.join(dir, sub, f)).find((f) => existsSync(f));
}

const ROLE_KEYS = new Set(['role', 'name', 'vars', 'tags', 'when', 'become', 'become_user', 'environment']);

/**
 * A play's roles, from roles/NAME beside the playbook: tasks/main.yml run
 * before the play's tasks, handlers/main.yml join its handlers, vars/main.yml
 * and the role's parameters rank above play vars, defaults/main.yml below
 * everything. Role dependencies (meta/main.yml) are not followed.
 */
function readRoles(list: unknown, baseDir: string, where: Where, problems: string[]): { tasks: Task[]; handlers: Task[]; defaults: Record<string, unknown>; vars: Record<string, unknown> } {
  const out = { tasks: [] as Task[], handlers: [] as Task[], defaults: {} as Record<string, unknown>, vars: {} as Record<string, unknown> };
  const seen = new Set<string>();
  for (const entry of asList(list)) {
    const spec: Record<string, unknown> = typeof entry === 'string' ? { role: entry } : entry && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {};
    // A role listed again with the same parameters runs once, as in Ansible.
    const key = JSON.stringify(spec);
    if (seen.has(key)) continue;
    seen.add(key);
    const name = spec.role ?? spec.name;
    const w = { ...where, task: `role ${String(name)}` };
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
      problems.push(`${at(where)}: a role is named by a plain folder name under roles/`);
      continue;
    }
    for (const k of Object.keys(spec)) if (!ROLE_KEYS.has(k)) problems.push(`${at(w)}: key "${k}" is not supported on a role`);
    const dir = path.join(baseDir, 'roles', name);
    if (!existsSync(dir)) {
      problems.push(`${at(w)}: no role folder ${dir}`);
      continue;
    }
    const meta = roleFile(dir, 'meta');
    if (meta && asList(readYaml(meta, 'mapping', meta, w, problems)?.dependencies).length) problems.push(`${at(w)}: role dependencies (meta/main.yml) are not supported`);
    const defaultsFile = roleFile(dir, 'defaults');
    const varsFile = roleFile(dir, 'vars');
    const role = { name, dir, defaults: (defaultsFile && readYaml(defaultsFile, 'mapping', defaultsFile, w, problems)) || {} };
    const params = spec.vars && typeof spec.vars === 'object' ? (spec.vars as Record<string, unknown>) : {};
    const roleVars = (varsFile && readYaml(varsFile, 'mapping', varsFile, w, problems)) || {};
    Object.assign(out.defaults, role.defaults);
    Object.assign(out.vars, roleVars);
    const inherited: Inherited = {
      ...NOTHING_INHERITED,
      when: asList(spec.when),
      tags: tagList(spec.tags),
      vars: { ...roleVars, ...params },
      become: spec.become,
      becomeUser: typeof spec.become_user === 'string' ? spec.become_user : undefined,
      environment: spec.environment === undefined ? [] : [spec.environment],
      role,
      importDirs: [path.join(dir, 'tasks')],
    };
    const read = (file: string | undefined, isHandler: boolean) => (file ? (readYaml(file, 'list', file, w, problems) ?? []) : []).map((t) => readTask(t, { ...where, file: `${where.file} (role ${name})` }, problems, isHandler, isHandler ? { ...inherited, tags: [] } : inherited)).filter((t): t is Task => !!t);
    out.tasks.push(...read(roleFile(dir, 'tasks'), false));
    out.handlers.push(...read(roleFile(dir, 'handlers'), true));
  }
  return out;
}

/** Every task, those inside blocks included. */
export function allTasks(tasks: Task[]): Task[] {
  return tasks.flatMap((t) => (t.block ? [...allTasks(t.block.tasks), ...allTasks(t.block.rescue), ...allTasks(t.block.always)] : [t]));
}

function readTask(raw: unknown, where: Where, problems: string[], isHandler: boolean, inherited: Inherited = NOTHING_INHERITED): Task | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${at(where)}: a task must be a mapping`);
    return undefined;
  }
  const t = raw as Record<string, unknown>;
  if ('block' in t) return readBlock(t, where, problems, isHandler, inherited);
  if ('import_tasks' in t || 'ansible.builtin.import_tasks' in t) return readImport(t, where, problems, isHandler, inherited);
  for (const k of ['rescue', 'always']) if (k in t) problems.push(`${at({ ...where, task: typeof t.name === 'string' ? t.name : k })}: "${k}" belongs to a block`);
  const actionKeys = Object.keys(t).filter((k) => !TASK_KEYS.has(k) && k !== 'rescue' && k !== 'always');
  const label = typeof t.name === 'string' ? t.name : actionKeys[0] ?? '(unnamed)';
  const w = { ...where, task: label };
  const candidates: string[] = [];
  for (const k of actionKeys) {
    if (KNOWN_UNSUPPORTED.has(k)) problems.push(`${at(w)}: ${TASK_KEYWORD_ONLY.has(k) ? 'unsupported keyword' : 'unsupported task key'} "${k}"`);
    else candidates.push(k);
  }
  if (!isHandler && 'listen' in t) problems.push(`${at(w)}: "listen" is for handlers only`);
  for (const k of ['become_method']) if (k in t && t[k] !== 'sudo') problems.push(`${at(w)}: only become_method sudo is supported, not "${String(t[k])}"`);
  if (candidates.length === 0) {
    if (!actionKeys.some((k) => KNOWN_UNSUPPORTED.has(k))) problems.push(`${at(w)}: no module to run`);
    return undefined;
  }
  if (candidates.length > 1) {
    const known = candidates.filter((c) => findModule(c) || c === 'meta');
    if (known.length === 1) for (const c of candidates.filter((c) => c !== known[0])) problems.push(`${at(w)}: unsupported task key "${c}"`);
    else problems.push(`${at(w)}: more than one module (${candidates.join(', ')})`);
    if (known.length !== 1) return undefined;
  }
  const action = candidates.find((c) => findModule(c) || c === 'meta') ?? candidates[0]!;
  let value = t[action];
  // A role's tasks show as Ansible shows them, "role : task"; handlers keep the name notify uses.
  const plain = typeof t.name === 'string' ? t.name : action;
  const name = inherited.role && !isHandler ? `${inherited.role.name} : ${plain}` : plain;

  if (action === 'meta' || action === 'ansible.builtin.meta') {
    if (value !== 'flush_handlers') problems.push(`${at(w)}: unsupported meta action "${String(value)}" (supported: flush_handlers)`);
    return base('meta', { action: value });
  }
  const mod = findModule(action);
  if (!mod) {
    problems.push(`${at(w)}: unsupported module "${action}"`);
    return undefined;
  }
  let args: Record<string, unknown> = {};
  if (typeof value === 'string') {
    if (mod.freeForm === 'command') args = parseFreeFormCommand(value);
    else if (mod.freeForm === 'kv') {
      try {
        args = parseKeyValues(value);
      } catch (e) {
        problems.push(`${at(w)}: ${mod.name}: ${(e as Error).message}`);
      }
    } else problems.push(`${at(w)}: ${mod.name} takes its arguments as a mapping`);
  } else if (value instanceof Unsafe && mod.freeForm === 'command') args = { cmd: value };
  else if (value !== null && value !== undefined) {
    if (typeof value !== 'object' || Array.isArray(value)) problems.push(`${at(w)}: ${mod.name}: arguments must be a mapping`);
    else args = { ...(value as Record<string, unknown>) };
  }
  if (t.args !== undefined) {
    if (typeof t.args !== 'object' || t.args === null || Array.isArray(t.args)) problems.push(`${at(w)}: args must be a mapping`);
    else args = { ...args, ...(t.args as Record<string, unknown>) };
  }
  if ('_raw_params' in args) {
    args.cmd = args._raw_params;
    delete args._raw_params;
  }
  for (const [alias, canonical] of Object.entries(mod.argAliases ?? {})) {
    if (alias in args) {
      if (canonical in args) problems.push(`${at(w)}: ${mod.name}: both "${alias}" and "${canonical}" given`);
      args[canonical] = args[alias];
      delete args[alias];
    }
  }
  const keys = moduleKeys(mod);
  if (keys) for (const k of Object.keys(args)) if (!keys.includes(k)) problems.push(`${at(w)}: module ${mod.name} does not support argument "${k}"`);
  return base(mod.name, args);

  function base(module: string, args: Record<string, unknown>): Task {
    const loopControl = (t.loop_control ?? {}) as Record<string, unknown>;
    if (typeof loopControl !== 'object') problems.push(`${at(w)}: loop_control must be a mapping`);
    for (const k of Object.keys(loopControl)) if (!['loop_var', 'index_var', 'label'].includes(k)) problems.push(`${at(w)}: unsupported loop_control key "${k}"`);
    const loops = ['loop', 'with_items', 'with_list'].filter((k) => k in t);
    if (('retries' in t || 'delay' in t) && !('until' in t)) problems.push(`${at(w)}: retries and delay need until`);
    if ('until' in t && loops.length) problems.push(`${at(w)}: until together with a loop is not supported`);
    if (loops.length > 1) problems.push(`${at(w)}: use one of loop, with_items, with_list`);
    let loop = t.loop ?? t.with_list;
    // with_items flattens one level, like Ansible.
    if ('with_items' in t) loop = { __withItems: t.with_items };
    if (t.register !== undefined && (typeof t.register !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.register))) problems.push(`${at(w)}: register must be a variable name`);
    const vars = t.vars ?? {};
    if (typeof vars !== 'object' || Array.isArray(vars)) problems.push(`${at(w)}: vars must be a mapping`);
    const notify = NameList.safeParse(t.notify ?? []);
    const own = handDown(inherited, t);
    if (!notify.success) problems.push(`${at(w)}: notify must be a handler name or a list of them`);
    return {
      name,
      module,
      args,
      when: own.when,
      loop,
      loopVar: typeof loopControl.loop_var === 'string' ? loopControl.loop_var : 'item',
      indexVar: typeof loopControl.index_var === 'string' ? loopControl.index_var : undefined,
      loopLabel: loopControl.label,
      register: typeof t.register === 'string' ? t.register : undefined,
      ignoreErrors: own.ignoreErrors ?? false,
      tags: own.tags,
      notify: notify.success ? notify.data : [],
      // A role's handler also answers to "role : name", as in Ansible.
      listen: [...tagList(t.listen), ...(isHandler && inherited.role ? [`${inherited.role.name} : ${plain}`] : [])],
      become: own.become,
      becomeUser: own.becomeUser,
      checkMode: own.checkMode,
      changedWhen: 'changed_when' in t ? asList(t.changed_when) : undefined,
      environment: own.environment,
      until: 'until' in t ? { conditions: asList(t.until), retries: t.retries ?? 3, delay: t.delay ?? 5 } : undefined,
      failedWhen: 'failed_when' in t ? asList(t.failed_when) : undefined,
      vars: own.vars,
      noLog: own.noLog,
      ...(inherited.role ? { role: inherited.role } : {}),
    };
  }
}

const unsafeTag = {
  tag: '!unsafe',
  identify: (v: unknown) => v instanceof Unsafe,
  resolve: (s: string) => new Unsafe(s),
};

/** A play's vars_files: YAML mappings relative to the playbook's folder, later files winning. */
function readVarsFiles(list: unknown, baseDir: string, where: Where, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of asList(list)) {
    if (typeof entry !== 'string') {
      problems.push(`${at(where)}: vars_files entries must be file names (a list of alternatives is not supported)`);
      continue;
    }
    if (/{{|{%/.test(entry)) {
      problems.push(`${at(where)}: vars_files "${entry}" is templated, which is not supported`);
      continue;
    }
    Object.assign(out, readYaml(path.resolve(baseDir, entry), 'mapping', `vars_files "${entry}"`, where, problems));
  }
  return out;
}

/** Parse a playbook's YAML text. `file` names it in messages; `baseDir` is where src and lookups resolve. */
export function parsePlaybook(text: string, opts: { file?: string; baseDir?: string } = {}): Playbook {
  const file = opts.file ?? 'playbook.yml';
  const baseDir = opts.baseDir ?? (opts.file ? path.dirname(path.resolve(opts.file)) : process.cwd());
  const problems: string[] = [];
  let doc: unknown;
  try {
    const d = YAML.parseDocument(text, { version: '1.1', customTags: [unsafeTag], prettyErrors: true, uniqueKeys: false });
    if (d.errors.length) throw new PlaybookError(d.errors.map((e) => `${file}: ${e.message}`));
    doc = d.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    if (e instanceof PlaybookError) throw e;
    throw new PlaybookError([`${file}: not valid YAML: ${(e as Error).message}`]);
  }
  if (!Array.isArray(doc)) throw new PlaybookError([`${file}: a playbook is a list of plays`]);
  const plays: Play[] = [];
  doc.forEach((rawPlay, i) => {
    if (typeof rawPlay !== 'object' || rawPlay === null || Array.isArray(rawPlay)) {
      problems.push(`${file}: play ${i + 1} must be a mapping`);
      return;
    }
    const p = rawPlay as Record<string, unknown>;
    const pname = typeof p.name === 'string' ? p.name : `#${i + 1}`;
    const where = { file, play: pname };
    for (const k of Object.keys(p)) {
      if (!PLAY_KEYS.has(k)) problems.push(`${at(where)}: ${KNOWN_UNSUPPORTED.has(k) ? 'unsupported play keyword' : 'unknown play key'} "${k}"`);
    }
    if (p.hosts === undefined || (typeof p.hosts !== 'string' && !Array.isArray(p.hosts))) problems.push(`${at(where)}: hosts is required (a pattern like all or a group name)`);
    if ('become_method' in p && p.become_method !== 'sudo') problems.push(`${at(where)}: only become_method sudo is supported, not "${String(p.become_method)}"`);
    const readList = (key: string, isHandler: boolean): Task[] => {
      const v = p[key];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) {
        problems.push(`${at(where)}: ${key} must be a list`);
        return [];
      }
      return v.map((t) => readTask(t, where, problems, isHandler, { ...NOTHING_INHERITED, importDirs: [baseDir] })).filter((t): t is Task => !!t);
    };
    const vars = p.vars ?? {};
    if (typeof vars !== 'object' || Array.isArray(vars)) problems.push(`${at(where)}: vars must be a mapping`);
    const fromFiles = readVarsFiles(p.vars_files, baseDir, where, problems);
    const roles = readRoles(p.roles, baseDir, where, problems);
    plays.push({
      name: typeof p.name === 'string' ? p.name : '',
      hosts: Array.isArray(p.hosts) ? p.hosts.map(String) : String(p.hosts ?? ''),
      become: p.become ?? false,
      becomeUser: typeof p.become_user === 'string' ? p.become_user : undefined,
      gatherFacts: p.gather_facts === undefined ? true : p.gather_facts === true || p.gather_facts === 'yes' || p.gather_facts === 'true',
      // vars_files outrank the play's vars, as in Ansible.
      vars: { ...((vars ?? {}) as Record<string, unknown>), ...fromFiles },
      environment: p.environment === undefined ? [] : [p.environment],
      roleDefaults: roles.defaults,
      roleVars: roles.vars,
      tasks: [...readList('pre_tasks', false), ...roles.tasks, ...readList('tasks', false), ...readList('post_tasks', false)],
      handlers: [...roles.handlers, ...readList('handlers', true)],
      tags: tagList(p.tags),
    });
  });
  for (const play of plays) {
    const handlerNames = new Set(play.handlers.flatMap((h) => [h.name, ...h.listen]));
    for (const t of allTasks(play.tasks)) for (const n of t.notify) if (!handlerNames.has(n)) problems.push(`${at({ file, play: play.name || '#', task: t.name })}: notifies "${n}", which is no handler of this play`);
  }
  if (problems.length) throw new PlaybookError(problems);
  return { plays, baseDir, file };
}
