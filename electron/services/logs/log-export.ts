// Exporting a log view as a text file a person can read or attach to a bug:
// one line per entry, ISO time in UTC, node, source and priority spelled out.
import { writeFile } from 'node:fs/promises';
import type { LogEntry } from '../../../shared/logs/log-entry';
import { formatLogText } from '../../../shared/logs/log-format';

export { formatLogEntry, formatLogText } from '../../../shared/logs/log-format';

export async function exportLogFile(path: string, entries: Iterable<LogEntry>, header?: string): Promise<void> {
  await writeFile(path, formatLogText(entries, header), { mode: 0o600 });
}
