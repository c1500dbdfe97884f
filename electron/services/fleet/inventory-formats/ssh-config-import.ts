// Nodes from an OpenSSH client config (~/.ssh/config): every concrete Host
// alias becomes a node with the settings ssh itself would use for it. The
// `ssh-config` package parses and computes (first match wins, as in OpenSSH);
// it does not follow Include, so Include files are read and spliced in here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SSHConfig, { glob, LineType, type Line, type Section } from 'ssh-config';
import { FleetNodeSchema, type FleetNode } from '../../../../shared/fleet';
import { InventoryFormatError, type ImportOptions, type InventoryImport, type RenamedEntry, type SkippedEntry } from './inventory-import';
import { describeIssue, expandHome, nodeName, shown } from './node-naming';

/** OpenSSH's own limit on nested Include. */
const MAX_INCLUDE_DEPTH = 16;

export interface SshConfigOptions extends ImportOptions {
  /** Where relative Include paths start: ~/.ssh by default, as OpenSSH does for any user config (even one given with -F). */
  includeDir?: string;
}

export function importSshConfigFile(file: string, options: Omit<SshConfigOptions, 'file'>): InventoryImport {
  return parseSshConfig(readFileSync(file, 'utf8'), { ...options, file });
}

export function parseSshConfig(text: string, options: SshConfigOptions): InventoryImport {
  const file = options.file ?? 'ssh config';
  const home = options.homeDir ?? os.homedir();
  const skipped: SkippedEntry[] = [];
  const renamed: RenamedEntry[] = [];
  const config = parseText(text, file);
  spliceIncludes(config, options.includeDir ?? path.join(home, '.ssh'), home, skipped, 0);
  stripLookups(config);

  const aliases: string[] = [];
  for (const line of config) {
    if (!isSection(line) || !/^host$/i.test(line.param)) continue;
    for (const pattern of values(line)) {
      if (/[*?]/.test(pattern) || pattern.startsWith('!')) {
        if (!skipped.some((s) => s.entry === `Host ${pattern}`)) skipped.push({ entry: `Host ${pattern}`, reason: 'a pattern that applies to many hosts, not a host of its own' });
      } else if (!aliases.includes(pattern)) aliases.push(pattern);
    }
  }

  const nodes: FleetNode[] = [];
  const taken = new Map<string, string>();
  for (const alias of aliases) {
    const naming = nodeName(alias);
    if (!naming.ok) {
      skipped.push({ entry: `Host ${alias}`, reason: naming.reason });
      continue;
    }
    if (taken.has(naming.name)) {
      skipped.push({ entry: `Host ${alias}`, reason: `its node name "${naming.name}" is already used by Host ${shown(taken.get(naming.name)!)}` });
      continue;
    }
    // matchExec off: importing a file must never run the commands in its `Match exec` lines.
    const computed = config.compute(alias, { matchExec: false, ignoreCase: true });
    const first = (key: string): string | undefined => {
      const v = computed[key];
      return Array.isArray(v) ? v[0] : v;
    };
    const hostName = (first('hostname') ?? alias).replace(/%(%|h)/g, (_, t: string) => (t === 'h' ? alias : '%'));
    const user = first('user') ?? options.defaultUser;
    const portText = first('port');
    const identity = first('identityfile');
    const candidate = {
      name: naming.name,
      host: hostName,
      port: portText !== undefined && /^\d+$/.test(portText) ? Number(portText) : (portText ?? 22),
      user,
      auth: identity && identity.toLowerCase() !== 'none' ? { kind: 'key' as const, path: identityPath(identity, { home, alias, hostName, user, port: portText ?? '22' }) } : { kind: 'agent' as const },
      groups: [],
      vars: {},
    };
    const checked = FleetNodeSchema.safeParse(candidate);
    if (!checked.success) {
      skipped.push({ entry: `Host ${alias}`, reason: describeIssue(checked.error.issues[0], candidate, { host: 'HostName', port: 'Port', user: 'User', auth: 'IdentityFile' }) });
      continue;
    }
    if (naming.derivedBecause) renamed.push({ entry: `Host ${alias}`, name: naming.name, reason: naming.derivedBecause });
    taken.set(naming.name, alias);
    nodes.push(checked.data);
  }
  return { nodes, groupVars: {}, groupChildren: {}, skipped, renamed };
}

function parseText(text: string, file: string): SSHConfig {
  try {
    return SSHConfig.parse(text);
  } catch (error) {
    throw new InventoryFormatError(file, undefined, `not a readable ssh config: ${(error as Error).message}`);
  }
}

const isSection = (line: Line): line is Section => line.type === LineType.DIRECTIVE && 'config' in line;
const isInclude = (line: Line): boolean => line.type === LineType.DIRECTIVE && /^include$/i.test(line.param);
function values(line: Line): string[] {
  if (line.type !== LineType.DIRECTIVE) return [];
  return typeof line.value === 'string' ? [line.value] : line.value.map((v) => v.val);
}

function spliceIncludes(config: Line[], baseDir: string, home: string, skipped: SkippedEntry[], depth: number): void {
  for (let i = 0; i < config.length; i++) {
    const line = config[i]!;
    if (isSection(line)) {
      spliceIncludes(line.config, baseDir, home, skipped, depth);
      // Host blocks from a file included inside a Host block only apply when the outer one matches; flattening them would change what ssh does.
      const nested = line.config.filter(isSection);
      if (nested.length) {
        line.config.splice(0, line.config.length, ...line.config.filter((l) => !isSection(l)));
        skipped.push({ entry: `${line.param} ${values(line).join(' ')}`, reason: 'it Includes a file with Host or Match blocks of its own, which Bramble does not import' });
      }
      continue;
    }
    if (!isInclude(line)) continue;
    const included: Line[] = [];
    for (const pattern of values(line)) {
      if (depth >= MAX_INCLUDE_DEPTH) {
        skipped.push({ entry: `Include ${pattern}`, reason: `more than ${MAX_INCLUDE_DEPTH} nested Includes` });
        continue;
      }
      const files = expandInclude(pattern, baseDir, home);
      if (!files.length) skipped.push({ entry: `Include ${pattern}`, reason: 'no file matches it' });
      for (const f of files) {
        const sub = parseText(readFileSync(f, 'utf8'), f);
        spliceIncludes(sub, baseDir, home, skipped, depth + 1);
        included.push(...sub);
      }
    }
    config.splice(i, 1, ...included);
    i += included.length - 1;
  }
}

/** Include paths: `~` and relative paths as OpenSSH resolves them, `*` and `?` in the file name part. */
function expandInclude(pattern: string, baseDir: string, home: string): string[] {
  const full = path.resolve(baseDir, expandHome(pattern, home));
  const dir = path.dirname(full);
  const base = path.basename(full);
  if (!/[*?]/.test(base)) return isFile(full) ? [full] : [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => glob(base, n))
    .sort()
    .map((n) => path.join(dir, n))
    .filter(isFile);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** CanonicalizeHostName makes ssh-config run DNS lookups; an import should not touch the network. */
function stripLookups(config: Line[]): void {
  for (let i = config.length - 1; i >= 0; i--) {
    const line = config[i]!;
    if (isSection(line)) stripLookups(line.config);
    else if (line.type === LineType.DIRECTIVE && /^canonicalizehostname$/i.test(line.param)) config.splice(i, 1);
  }
}

/** IdentityFile with the tokens OpenSSH expands in it. */
function identityPath(value: string, t: { home: string; alias: string; hostName: string; user: string; port: string }): string {
  const expanded = value.replace(/%([%dhnpru])/g, (_, c: string) => {
    switch (c) {
      case 'd':
        return t.home;
      case 'h':
        return t.hostName;
      case 'n':
        return t.alias;
      case 'p':
        return t.port;
      case 'r':
        return t.user;
      case 'u':
        return os.userInfo().username;
      default:
        return '%';
    }
  });
  return expandHome(expanded, t.home);
}
