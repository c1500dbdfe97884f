// Waits for TCP listeners by reading /proc/net/tcp. A connect probe would make
// each sshd fork and re-exec a child per attempt, which at dozens of nodes
// starting together costs more CPU than the starts themselves; one read of
// /proc/net/tcp per tick serves every waiting node.
import { readFileSync } from 'node:fs';

interface Waiter {
  key: string;
  deadline: number;
  giveUp: () => boolean;
  resolve: (ok: boolean) => void;
}

const waiters = new Set<Waiter>();
let timer: NodeJS.Timeout | undefined;

/** /proc/net/tcp's spelling of an IPv4 address and port: 127.0.1.2:22 → 0201007F:0016. */
function procKey(host: string, port: number): string {
  const hex = host
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
  return `${hex}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

function listening(): Set<string> {
  const out = new Set<string>();
  let text = '';
  try {
    text = readFileSync('/proc/net/tcp', 'latin1');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[3] === '0A' && f[1]) out.add(f[1]);
  }
  return out;
}

function tick(): void {
  const now = Date.now();
  const up = listening();
  for (const w of waiters) {
    let result: boolean | undefined;
    if (up.has(w.key)) result = true;
    else if (w.giveUp() || now >= w.deadline) result = false;
    if (result !== undefined) {
      waiters.delete(w);
      w.resolve(result);
    }
  }
  if (waiters.size === 0 && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** True once host:port is in LISTEN state; false on timeout or as soon as `giveUp()` says so. */
export function waitListening(host: string, port: number, timeoutMs: number, giveUp: () => boolean = () => false): Promise<boolean> {
  return new Promise((resolve) => {
    waiters.add({ key: procKey(host, port), deadline: Date.now() + timeoutMs, giveUp, resolve });
    timer ??= setInterval(tick, 10);
  });
}
