// Shared bench plumbing: run a command and time it, medians, ratios, and the
// section of bench/RESULTS.md each bench rewrites with its latest figures.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function timeCommand(label: string, command: string, args: string[], options: SpawnSyncOptions = {}): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) {
    throw new Error(`${label} failed (exit ${r.status ?? r.signal}): ${String(r.stderr).trim().split('\n').slice(-3).join(' | ')}`);
  }
  return seconds;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Drops the page cache between runs where the kernel lets us, so each run reads from disk alike. */
export function dropCaches(): void {
  spawnSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
  } catch {
    // Not permitted here: every contender then starts equally warm.
  }
}

/** Replaces the `## name` section of bench/RESULTS.md (or appends it). */
export function writeResults(name: string, body: string): string {
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), 'RESULTS.md');
  const header = '# Bench results\n\nEach section is rewritten by its bench (`npm run bench:<name>`); figures are medians of side-by-side runs in one process run on the machine named in the section.\n';
  const text = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const section = `## ${name}\n\n${body.trim()}\n`;
  const re = new RegExp(`## ${name}\\n[\\s\\S]*?(?=\\n## |$)`);
  const next = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
  return file;
}
