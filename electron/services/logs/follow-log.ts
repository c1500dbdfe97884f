// Streams a node's journal (or kernel log) as parsed entries while they arrive.
// Filters the journal can apply itself (unit, priority, since) are passed to
// journalctl, so only wanted lines cross the network. Every value goes in as
// its own `--opt=value` argv word: a unit called `-f` is not an option.
import { commandLine, ExecError, type RemoteExec } from '../ssh/remote-exec';
import { parseDmesgLine, parseJournalJson, type LogEntry } from '../../../shared/logs/log-entry';
import { LineSplitter } from './line-splitter';

export interface FollowLogOptions {
  /** The kernel log (`journalctl -k`; plain `dmesg` where journalctl is missing). */
  kernel?: boolean;
  unit?: string;
  /** Highest priority number to show (0 emerg .. 7 debug), or an inclusive range. */
  priority?: number | [number, number];
  /** How many existing lines first; default 'all' without follow, 0 with follow. */
  lines?: number | 'all';
  /** ms since the epoch. */
  since?: number;
  /** Continue after this journal cursor (resuming a follow after a reconnect). */
  afterCursor?: string;
  follow: boolean;
  /** Stamped on every entry. */
  node?: string;
  signal?: AbortSignal;
  /** For a non-follow read; default 60 s. */
  timeoutMs?: number;
  /** Called once per received chunk with the entries it completed. */
  onEntries(entries: LogEntry[]): void;
}

export interface FollowLogResult {
  source: 'journalctl' | 'dmesg';
  entries: number;
  /** eof: the command finished; aborted: the signal stopped it. */
  ended: 'eof' | 'aborted';
  /** Cursor of the last journal entry seen, to resume from. */
  lastCursor: string | undefined;
}

export function journalctlArgs(o: Omit<FollowLogOptions, 'onEntries' | 'signal' | 'node' | 'timeoutMs'>): string[] {
  const argv = ['journalctl', '--no-pager', '--output=json'];
  if (o.kernel) argv.push('--dmesg');
  if (o.unit) argv.push(`--unit=${o.unit}`);
  if (o.priority !== undefined) {
    const p = Array.isArray(o.priority) ? o.priority : [0, o.priority];
    for (const n of p) if (!Number.isInteger(n) || n < 0 || n > 7) throw new Error(`a log priority is 0..7, not ${n}`);
    argv.push(`--priority=${p[0]}..${p[1]}`);
  }
  if (o.since !== undefined) argv.push(`--since=@${(o.since / 1000).toFixed(3)}`);
  if (o.afterCursor) argv.push(`--after-cursor=${o.afterCursor}`);
  const lines = o.lines ?? (o.follow && o.since === undefined && !o.afterCursor ? 0 : 'all');
  if (lines !== 'all' && (!Number.isInteger(lines) || lines < 0)) throw new Error(`lines must be a whole number, not ${lines}`);
  argv.push(`--lines=${lines}`);
  if (o.follow) argv.push('--follow');
  return argv;
}

// Plain dmesg stamps lines with seconds since boot: print the boot time first.
const DMESG_SCRIPT = `read up _ </proc/uptime
now=$(date +%s)
echo "@boot=$((now - \${up%.*}))"
exec dmesg "$@"
`;

export async function followLog(exec: RemoteExec, o: FollowLogOptions): Promise<FollowLogResult> {
  const r = await run(exec, o, 'journalctl');
  if (r !== 'missing') return r;
  if (!o.kernel) throw new Error('journalctl is not installed on this node');
  const d = await run(exec, o, 'dmesg');
  if (d === 'missing') throw new Error('neither journalctl nor dmesg could be run on this node');
  return d;
}

async function run(exec: RemoteExec, o: FollowLogOptions, source: 'journalctl' | 'dmesg'): Promise<FollowLogResult | 'missing'> {
  const split = new LineSplitter();
  let count = 0;
  let lastCursor = o.afterCursor;
  let bootMs: number | undefined;
  let wanted = Infinity;
  const held: LogEntry[] = [];

  const parse = (lines: string[]): LogEntry[] => {
    const out: LogEntry[] = [];
    for (const line of lines) {
      if (!line) continue;
      let e: LogEntry | null;
      if (source === 'journalctl') e = parseJournalJson(line, o.node);
      else if (line.startsWith('@boot=')) {
        bootMs = Number(line.slice(6)) * 1000;
        continue;
      } else e = parseDmesgLine(line, bootMs, Date.now(), o.node);
      if (e) out.push(e);
    }
    return out;
  };
  const deliver = (entries: LogEntry[]) => {
    if (!entries.length) return;
    count += entries.length;
    const c = entries[entries.length - 1]!.cursor;
    if (c) lastCursor = c;
    o.onEntries(entries);
  };

  let command: string;
  let stdin: string | undefined;
  if (source === 'journalctl') command = commandLine(journalctlArgs(o));
  else {
    // dmesg has no --lines: a one-off read keeps the tail here; a follow shows only new lines.
    command = commandLine(['sh', '-s', '--', ...(o.follow ? ['--follow-new'] : [])]);
    stdin = DMESG_SCRIPT;
    if (!o.follow && typeof o.lines === 'number') wanted = o.lines;
  }
  const onStdout = (chunk: Buffer) => {
    const entries = parse(split.push(chunk)).filter((e) => o.since === undefined || e.at >= o.since);
    if (wanted === Infinity) deliver(entries);
    else held.push(...entries);
  };

  try {
    const res = await exec.exec(command, { stdin, onStdout, keepStdout: false, signal: o.signal, timeoutMs: o.follow ? undefined : (o.timeoutMs ?? 60_000) });
    onStdout(Buffer.alloc(0));
    const tail = parse(split.end());
    if (wanted === Infinity) deliver(tail);
    else deliver([...held, ...tail].slice(-wanted || held.length + tail.length));
    if (res.code === 127 || (res.code !== 0 && /not found|No such file/i.test(res.stderr) && count === 0)) return 'missing';
    if (res.code !== 0) throw new Error(`${source} failed (exit ${res.code ?? res.signal}): ${res.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
    return { source, entries: count, ended: 'eof', lastCursor };
  } catch (e) {
    if (e instanceof ExecError && e.kind === 'aborted') return { source, entries: count, ended: 'aborted', lastCursor };
    throw e;
  }
}
