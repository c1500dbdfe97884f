// Ansible host patterns as inventories write them: `node-[01:04]`,
// `node-[a:c]`, `db[1:9:2]`, with an optional `:port` (`pi.lan:2222`,
// `[fe80::1]:2222`). Expanded exactly as Ansible's expand_hostname_range does,
// so an imported file yields the hosts `ansible-inventory` would list.

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** More than any Pi cluster; a typo like [1:100000] should not eat memory. */
const MAX_HOSTS = 4096;

export class HostPatternError extends Error {}

export function splitHostPort(pattern: string): { pattern: string; port?: number } {
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(pattern);
  if (bracketed && bracketed[1]!.split(':').length > 2) {
    return { pattern: bracketed[1]!, ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  }
  // A bare IPv6 address has no room for a port.
  if (/^[0-9A-Fa-f:.]+$/.test(pattern) && pattern.split(':').length > 2) return { pattern };
  const m = /^((?:[^:[\]]|\[[^\]]*\])+)(?::(\d+))?$/.exec(pattern);
  if (m && m[2] !== undefined) return { pattern: m[1]!, port: Number(m[2]) };
  return { pattern };
}

export function expandHostRange(pattern: string): string[] {
  if (!pattern.includes('[')) return [pattern];
  const open = pattern.indexOf('[');
  const close = pattern.indexOf(']', open);
  if (close < 0) throw new HostPatternError(`host pattern "${pattern}" has a "[" without a closing "]"`);
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = pattern.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new HostPatternError(`host range in "${pattern}" must be begin:end or begin:end:step`);
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (!end) throw new HostPatternError(`host range in "${pattern}" must specify an end value`);
  if (!Number.isInteger(step) || step < 1) throw new HostPatternError(`host range step in "${pattern}" must be a positive whole number`);
  const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
  if (width && width !== end.length) throw new HostPatternError(`host range in "${pattern}" must have begin and end of the same length (${beg} vs ${end})`);

  let seq: string[];
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw new HostPatternError(`host range in "${pattern}" must have begin <= end`);
    seq = [];
    for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i]!);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw new HostPatternError(`host range in "${pattern}" must be numbers or single letters`);
    const from = Number(beg);
    const to = Number(end);
    if ((to - from) / step >= MAX_HOSTS) throw new HostPatternError(`host range in "${pattern}" names more than ${MAX_HOSTS} hosts`);
    seq = [];
    for (let i = from; i <= to; i += step) seq.push(width ? String(i).padStart(width, '0') : String(i));
  }
  const hosts = seq.flatMap((part) => expandHostRange(`${head}${part}${tail}`));
  if (hosts.length > MAX_HOSTS) throw new HostPatternError(`host pattern "${pattern}" names more than ${MAX_HOSTS} hosts`);
  return hosts;
}

export function expandHostPattern(raw: string): { hosts: string[]; port?: number } {
  const { pattern, port } = splitHostPort(raw);
  if (raw.trim().endsWith(':') && port === undefined) throw new HostPatternError(`host pattern "${raw}" ends in ":" (a port number should follow)`);
  const hosts = expandHostRange(pattern);
  return port === undefined ? { hosts } : { hosts, port };
}
