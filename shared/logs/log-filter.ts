// The log view's filters as one pure predicate, so the store, an export and a
// test all agree on what "matching" means.
import type { LogEntry } from './log-entry';
import type { PowerLineKind } from './power-lines';

export interface LogFilter {
  nodes?: string[];
  units?: string[];
  identifiers?: string[];
  /** Show priority numbers up to this one (3: err and worse). Entries without a priority pass. */
  maxPriority?: number;
  /** ms since the epoch, inclusive. */
  from?: number;
  to?: number;
  /** Plain text, case-insensitive. */
  text?: string;
  /** A JavaScript regular expression over the message. */
  regex?: string;
  /** Case-sensitive regex; default false. */
  caseSensitive?: boolean;
  kernel?: boolean;
  /** Only power lines (or only these kinds). */
  power?: boolean | PowerLineKind[];
}

export class LogFilterError extends Error {}

export function compileLogFilter(f: LogFilter): (e: LogEntry) => boolean {
  let re: RegExp | undefined;
  if (f.regex) {
    try {
      re = new RegExp(f.regex, f.caseSensitive ? '' : 'i');
    } catch (e) {
      throw new LogFilterError(`That pattern is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  const text = f.text?.toLowerCase();
  const nodes = f.nodes?.length ? new Set(f.nodes) : undefined;
  const units = f.units?.length ? new Set(f.units.map((u) => (u.includes('.') ? u : `${u}.service`))) : undefined;
  const idents = f.identifiers?.length ? new Set(f.identifiers) : undefined;
  const powerKinds = Array.isArray(f.power) ? new Set(f.power) : undefined;
  return (e) => {
    if (nodes && (e.node === undefined || !nodes.has(e.node))) return false;
    if (units && (e.unit === undefined || !units.has(e.unit))) return false;
    if (idents && (e.identifier === undefined || !idents.has(e.identifier))) return false;
    if (f.maxPriority !== undefined && e.priority !== null && e.priority > f.maxPriority) return false;
    if (f.from !== undefined && e.at < f.from) return false;
    if (f.to !== undefined && e.at > f.to) return false;
    if (f.kernel !== undefined && e.kernel !== f.kernel) return false;
    if (f.power === true && e.power === null) return false;
    if (powerKinds && (e.power === null || !powerKinds.has(e.power))) return false;
    if (text && !e.message.toLowerCase().includes(text)) return false;
    if (re && !re.test(e.message)) return false;
    return true;
  };
}

export function filterLog(entries: Iterable<LogEntry>, f: LogFilter): LogEntry[] {
  const keep = compileLogFilter(f);
  const out: LogEntry[] = [];
  for (const e of entries) if (keep(e)) out.push(e);
  return out;
}
