// Small /proc readers. The fleet identifies a node's processes by pid namespace
// and its leftovers by the fleet directory in their command lines, never by name,
// so it cannot touch an sshd that is not its own.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Pids of every process, excluding threads. */
export function allPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const n = Number(name);
    if (Number.isInteger(n) && n > 0) out.push(n);
  }
  return out;
}

/** Fields of /proc/PID/stat after the command name: [state, ppid, ...]. */
function statFields(pid: number): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Running or stopped, but not gone and not a zombie. */
export function isAlive(pid: number): boolean {
  const f = statFields(pid);
  return f !== undefined && f[0] !== 'Z' && f[0] !== 'X';
}

/** Start time in clock ticks since boot: with the pid it names one process, whatever pid reuse happens later. */
export function startTime(pid: number): number | undefined {
  const f = statFields(pid);
  return f?.[19] === undefined ? undefined : Number(f[19]);
}

export function pidNamespace(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

export function pidsInNamespace(ns: string): number[] {
  return allPids().filter((p) => pidNamespace(p) === ns);
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Live processes whose command line mentions `text` (a fleet directory). */
export function pidsMentioning(text: string): number[] {
  return allPids().filter((p) => p !== process.pid && isAlive(p) && cmdline(p).includes(text));
}

export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wait until `cond` holds, polling; false on timeout. */
export async function waitUntil(cond: () => boolean, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (cond()) return true;
    if (Date.now() >= end) return false;
    await sleep(everyMs);
  }
}
