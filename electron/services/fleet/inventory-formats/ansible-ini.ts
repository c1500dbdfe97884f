// Ansible INI inventories, read the way Ansible's own `ini` plugin reads them
// (there is no maintained JS parser): [group], [group:vars], [group:children],
// host lines split like a shell line with `#` comments and key=value vars whose
// values are Python literals, host ranges and `host:port`. And written back so
// `ansible-inventory` reads the same hosts, groups and vars.
import { AnsibleInventoryModel, toInventoryImport } from './ansible-model';
import { expandHostPattern, HostPatternError } from './host-pattern';
import { InventoryFormatError, type ImportOptions, type InventoryDocument, type InventoryImport } from './inventory-import';
import { iniValue, isPythonLiteral, pythonRepr } from './python-literal';
import { connectionVars, declaredGroups } from './ansible-export';
import { UserError } from '../../user-error';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_LINE = /^([^:\]\s]+)\s*(?:#.*)?$/;

export function parseAnsibleIni(text: string, options: ImportOptions): InventoryImport {
  return toInventoryImport(readAnsibleIni(text, options.file ?? 'inventory'), options);
}

export function readAnsibleIni(text: string, file: string): AnsibleInventoryModel {
  const model = new AnsibleInventoryModel();
  const declared = new Set(['all', 'ungrouped']);
  // A group may be used in [x:vars] or [x:children] before its own section; checked at the end.
  const pending = new Map<string, { line: number; state: 'vars' | 'children' }>();

  let group = 'ungrouped';
  let state = 'hosts';
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const fail = (problem: string): never => {
      throw new InventoryFormatError(file, lineNo, problem);
    };
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;

    const section = SECTION.exec(line);
    if (section) {
      group = section[1]!;
      state = section[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) fail(`section [${section[1]}:${state}] has an unknown type "${state}" (expected hosts, vars or children)`);
      model.group(group);
      if (state === 'vars') {
        if (!declared.has(group) && !pending.has(group)) pending.set(group, { line: lineNo, state: 'vars' });
      } else {
        declared.add(group);
        pending.delete(group);
      }
      continue;
    }
    if (line.startsWith('[')) fail(`"${line}" is not a valid section header (no spaces; [name], [name:vars] or [name:children])`);

    if (state === 'hosts') {
      let tokens: string[];
      try {
        tokens = shellWords(line);
      } catch (error) {
        return fail(`host line cannot be split: ${(error as Error).message}`);
      }
      if (!tokens.length) continue;
      const vars: Record<string, unknown> = {};
      for (const token of tokens.slice(1)) {
        const eq = token.indexOf('=');
        if (eq < 0) fail(`expected key=value after the host name, got ${JSON.stringify(token)}`);
        vars[token.slice(0, eq)] = iniValue(token.slice(eq + 1));
      }
      let expanded: { hosts: string[]; port?: number };
      try {
        expanded = expandHostPattern(tokens[0]!);
      } catch (error) {
        if (error instanceof HostPatternError) return fail(error.message);
        throw error;
      }
      if (expanded.hosts.some((h) => h.trim() === '---')) fail('"---" starts a YAML document; is this a YAML inventory with the wrong extension?');
      for (const host of expanded.hosts) model.addHost(host, group, vars, expanded.port);
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`expected key=value in [${group}:vars], got ${JSON.stringify(line)}`);
      model.group(group).vars[line.slice(0, eq).trim()] = iniValue(line.slice(eq + 1).trim());
    } else {
      const m = GROUP_LINE.exec(line);
      if (!m) return fail(`expected a group name in [${group}:children], got ${JSON.stringify(line)}`);
      const child = m[1]!;
      if (!declared.has(child) && !pending.has(child)) pending.set(child, { line: lineNo, state: 'children' });
      try {
        model.addChild(group, child);
      } catch (error) {
        fail((error as Error).message);
      }
    }
  }
  for (const [name, where] of pending) {
    if (declared.has(name)) continue;
    throw new InventoryFormatError(
      file,
      where.line,
      where.state === 'vars' ? `[${name}:vars] is for a group that is never declared (add a [${name}] section)` : `[…:children] names a group "${name}" that is never declared (add a [${name}] section)`,
    );
  }
  return model;
}

/** Python's shlex.split(line, comments=True), which Ansible uses for host lines. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#') {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('a quotation mark is not closed');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      inWord = true;
      for (i++; ; i++) {
        if (i >= line.length) throw new Error('a quotation mark is not closed');
        const d = line[i]!;
        if (d === '"') break;
        if (d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
        else word += d;
      }
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error('the line ends in a lone backslash');
      word += line[++i];
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const BARE = /^[A-Za-z0-9_./~@%+:,-]+$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The text after `=` that Ansible reads back as `value`. */
function valueText(value: unknown): string {
  if (typeof value === 'string' && BARE.test(value) && !isPythonLiteral(value)) return value;
  return pythonRepr(value);
}

function shellToken(text: string): string {
  return BARE.test(text.replace(/=/g, '')) ? text : `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function checkName(key: string, owner: string): void {
  if (!VAR_NAME.test(key)) throw new UserError(`variable ${JSON.stringify(key)} of ${owner} cannot be written to an INI inventory (use YAML)`);
}

export function toAnsibleIni(doc: InventoryDocument): string {
  const groupVars = doc.groupVars ?? {};
  const groupChildren = doc.groupChildren ?? {};
  const groups = declaredGroups(doc);
  const out: string[] = ['# Ansible inventory written by Bramble'];

  const written = new Set<string>();
  const hostLine = (node: InventoryDocument['nodes'][number]): string => {
    if (written.has(node.name)) return node.name;
    written.add(node.name);
    const vars = connectionVars(node);
    return [node.name, ...Object.entries(vars).map(([k, v]) => (checkName(k, node.name), shellToken(`${k}=${valueText(v)}`)))].join(' ');
  };
  const varsBlock = (group: string): string[] =>
    Object.entries(groupVars[group] ?? {}).map(([k, v]) => {
      checkName(k, `group ${group}`);
      return `${k}=${valueText(v)}`;
    });

  // Hosts in no group come before any section, as Ansible's "ungrouped".
  for (const node of doc.nodes) if (!node.groups.length) out.push(hostLine(node));
  for (const g of groups) {
    out.push('', `[${g}]`);
    for (const node of doc.nodes) if (node.groups.includes(g)) out.push(hostLine(node));
    const vars = varsBlock(g);
    if (vars.length) out.push('', `[${g}:vars]`, ...vars);
    const children = groupChildren[g] ?? [];
    if (children.length) out.push('', `[${g}:children]`, ...children);
  }
  for (const special of ['all', 'ungrouped']) {
    const vars = varsBlock(special);
    if (vars.length) out.push('', `[${special}:vars]`, ...vars);
  }
  return `${out.join('\n')}\n`;
}
