// A log entry as one readable line: ISO time in UTC, node, source and priority
// spelled out. Used for exports, the CLI, and the UI's copy and download.
import { PRIORITY_NAMES, type LogEntry } from './log-entry';

export function formatLogEntry(e: LogEntry): string {
  const who = e.kernel ? 'kernel' : `${e.identifier ?? e.unit ?? 'unknown'}${e.pid !== undefined ? `[${e.pid}]` : ''}`;
  const prio = e.priority === null ? '' : ` <${PRIORITY_NAMES[e.priority]}>`;
  const power = e.power ? ` {power: ${e.power}}` : '';
  // Continuation lines are indented so every entry still starts with a timestamp.
  const message = e.message.replace(/\r?\n/g, '\n    ');
  return `${new Date(e.at).toISOString()} ${e.node ?? '-'} ${who}${prio}${power}: ${message}`;
}

export function formatLogText(entries: Iterable<LogEntry>, header?: string): string {
  const out: string[] = [];
  if (header) out.push(...header.split('\n').map((l) => `# ${l}`));
  for (const e of entries) out.push(formatLogEntry(e));
  return out.join('\n') + '\n';
}
