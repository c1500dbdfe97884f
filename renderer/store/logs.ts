// The Logs tab's stream: which node and source it follows, with which
// server-side filters (unit, priority, since), and the lines received so far in
// a bounded LogStore. The LogStore is mutable and lives outside React state;
// `version` bumps when it changes so views re-read it (at most a few times a
// second, however fast lines arrive).
import { create } from 'zustand';
import type { LogEntry } from '../../shared/logs/log-entry';
import { LogStore } from '../../shared/logs/log-store';
import { bridge } from '../bridge';

export const SINCE_OPTIONS = [
  { id: 'tail', label: 'Last 1,000 lines', ms: undefined },
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;
export type SinceOption = (typeof SINCE_OPTIONS)[number]['id'];

export interface LogSource {
  node: string;
  kernel: boolean;
  /** Empty: every unit. */
  unit: string;
  /** Up to this priority (0 emerg … 7 debug); undefined: all. */
  priority: number | undefined;
  since: SinceOption;
}

export type StreamStatus = 'idle' | 'opening' | 'live' | 'ended' | 'error';

interface LogsState {
  source: LogSource | undefined;
  streamId: string | undefined;
  status: StreamStatus;
  /** Why the stream ended or failed, in words. */
  reason: string | undefined;
  version: number;
  open(source: LogSource, bufferLines: number): Promise<void>;
  close(): void;
  resize(bufferLines: number): void;
}

const DEFAULT_BUFFER = 100_000;
const TAIL_LINES = 1000;
const REPAINT_MS = 150;

/** The lines of the current stream. Replaced, not cleared, on reopen, so a late batch of the old one cannot leak in. */
export let logBuffer = new LogStore(DEFAULT_BUFFER);

// Which open() call is current: a reply to an older one is closed at once.
let openSeq = 0;
/** Batches for a stream whose logs:open reply has not come back yet. */
const parked = new Map<string, LogEntry[][]>();
let repaintTimer: ReturnType<typeof setTimeout> | undefined;

function scheduleRepaint(): void {
  repaintTimer ??= setTimeout(() => {
    repaintTimer = undefined;
    useLogs.setState((s) => ({ version: s.version + 1 }));
  }, REPAINT_MS);
}

export const useLogs = create<LogsState>()((set, get) => ({
  source: undefined,
  streamId: undefined,
  status: 'idle',
  reason: undefined,
  version: 0,

  async open(source, bufferLines) {
    get().close();
    const seq = ++openSeq;
    logBuffer = new LogStore(bufferLines || DEFAULT_BUFFER);
    set((s) => ({ source, status: 'opening', reason: undefined, streamId: undefined, version: s.version + 1 }));
    const range = SINCE_OPTIONS.find((o) => o.id === source.since)!;
    try {
      const { streamId } = await bridge.logs.open({
        node: source.node,
        kernel: source.kernel,
        // The kernel log has no units: a unit typed for the journal must not empty it.
        unit: source.kernel ? undefined : source.unit.trim() || undefined,
        priority: source.priority,
        // With a time range, everything in it that the buffer can hold.
        lines: range.ms === undefined ? Math.min(TAIL_LINES, bufferLines) : bufferLines,
        follow: true,
        since: range.ms === undefined ? undefined : Date.now() - range.ms,
      });
      if (seq !== openSeq) {
        void bridge.logs.close({ streamId }).catch(() => undefined);
        return;
      }
      set({ streamId, status: 'live' });
      for (const batch of parked.get(streamId) ?? []) logBuffer.add(batch);
      parked.clear();
      scheduleRepaint();
    } catch (error) {
      if (seq === openSeq) set({ status: 'error', reason: (error as Error).message });
    }
  },

  close() {
    openSeq++;
    parked.clear();
    const { streamId } = get();
    if (streamId) void bridge.logs.close({ streamId }).catch(() => undefined);
    set({ streamId: undefined, status: 'idle' });
  },

  resize(bufferLines) {
    logBuffer.resize(bufferLines);
    scheduleRepaint();
  },
}));

/** Entries and stream endings pushed by the main process; subscribed while a Logs tab is open. */
export function subscribeLogsEvents(): () => void {
  const offs = [
    bridge.on('logs:entries', ({ streamId, entries }) => {
      // The wire schema marks absent fields optional; LogEntry spells them `| undefined`: same objects.
      const batch = entries as LogEntry[];
      const { streamId: current, status } = useLogs.getState();
      if (streamId === current) {
        logBuffer.add(batch);
        scheduleRepaint();
      } else if (status === 'opening' && parked.size < 8) {
        parked.set(streamId, [...(parked.get(streamId) ?? []), batch]);
      }
    }),
    bridge.on('logs:ended', ({ streamId, reason }) => {
      if (streamId === useLogs.getState().streamId) useLogs.setState({ status: 'ended', reason, streamId: undefined });
    }),
  ];
  return () => offs.forEach((off) => off());
}
