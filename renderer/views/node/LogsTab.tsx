// Logs: a node's journal or kernel log, followed live, without a terminal.
// Unit, priority and time range are asked of the node; the text or regex
// filter runs here over the buffer. Pausing freezes the view while lines keep
// arriving into the buffer. Power lines stand out and lead to the Power tab.
import { Pause, Play, RotateCcw } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogEntry } from '../../../shared/logs/log-entry';
import { compileLogFilter, filterLog, type LogFilter } from '../../../shared/logs/log-filter';
import { useApp } from '../../store/app';
import { useFleet } from '../../store/fleet';
import { logBuffer, subscribeLogsEvents, useLogs, type LogSource } from '../../store/logs';
import { useNavigation } from '../../store/navigation';
import { ExportButtons } from './logs/ExportButtons';
import { LogList } from './logs/LogList';
import { SourceBar } from './logs/SourceBar';
import { VisibleLines } from './logs/visible-lines';

const DEFAULT_BUFFER = 100_000;

export function LogsTab({ node }: { node: string }) {
  const { status, reason, version, open, close, resize } = useLogs();
  const bufferLines = useApp((s) => s.settings?.logBufferLines ?? DEFAULT_BUFFER);
  const online = useFleet((s) => s.states.find((x) => x.name === node)?.status === 'online');
  const setNodeTab = useNavigation((s) => s.setNodeTab);
  const [source, setSource] = useState<LogSource>({ node, kernel: false, unit: '', priority: undefined, since: 'tail' });
  const [query, setQuery] = useState('');
  const [regex, setRegex] = useState(false);
  const [paused, setPaused] = useState<{ all: LogEntry[]; seq: number }>();
  const visibleLines = useRef(new VisibleLines());
  const bufferRef = useRef(bufferLines);
  bufferRef.current = bufferLines;

  // Subscribed before the first open, so no early batch is missed.
  useEffect(() => subscribeLogsEvents(), []);
  useEffect(() => {
    setPaused(undefined);
    void open(source, bufferRef.current);
  }, [source, open]);
  useEffect(() => close, [close]);
  useEffect(() => resize(bufferLines), [bufferLines, resize]);
  // A node that comes back online gets its stream back without a click.
  useEffect(() => {
    if (online && (useLogs.getState().status === 'error' || useLogs.getState().status === 'ended')) void open(source, bufferRef.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [online]);

  const { filter, filterError } = useMemo(() => {
    const f: LogFilter = query ? (regex ? { regex: query } : { text: query }) : {};
    try {
      compileLogFilter(f);
      return { filter: f, filterError: undefined };
    } catch (e) {
      return { filter: {}, filterError: (e as Error).message };
    }
  }, [query, regex]);

  const entries = useMemo(
    () => (paused ? filterLog(paused.all, filter) : visibleLines.current.update(logBuffer, filter)),
    // `version` is how the mutable buffer says it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [version, filter, paused],
  );
  const newWhilePaused = paused ? logBuffer.query({ ...filter, sinceSeq: paused.seq }).entries.length : 0;

  const togglePause = () => {
    if (paused) setPaused(undefined);
    else {
      const r = logBuffer.query({});
      setPaused({ all: r.entries, seq: r.endSeq });
    }
  };
  const what = source.kernel ? 'kernel log' : source.unit ? `journal (${source.unit})` : 'journal';
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  // Asking from past the end reads no lines: just the counters.
  const dropped = logBuffer.query({ sinceSeq: Number.MAX_SAFE_INTEGER }).dropped;

  return (
    <div className="logs-tab">
      <SourceBar source={source} onChange={setSource} />
      <div className="log-filter-bar">
        <input
          className={`text-input log-search${filterError ? ' invalid' : ''}`}
          aria-label="Filter lines"
          aria-invalid={filterError !== undefined}
          aria-describedby={filterError ? 'log-filter-error' : undefined}
          placeholder={regex ? 'regular expression, e.g. fail(ed|ure)' : 'filter the lines below'}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          spellCheck={false}
        />
        <label className="toggle">
          <input type="checkbox" checked={regex} onChange={(e) => setRegex(e.target.checked)} />
          Regex
        </label>
        <button type="button" className="button small" aria-pressed={paused !== undefined} onClick={togglePause}>
          {paused ? <Play size={13} aria-hidden /> : <Pause size={13} aria-hidden />}
          {paused ? `Resume${newWhilePaused ? ` (${newWhilePaused.toLocaleString()} new)` : ''}` : 'Pause'}
        </button>
        <ExportButtons entries={entries} header={`${node} ${what}, exported ${new Date().toISOString()}${query ? `, filter ${regex ? '/' + query + '/' : `"${query}"`}` : ''}`} fileName={`${node}-${source.kernel ? 'kernel' : 'journal'}-${stamp}.log`} />
      </div>
      {filterError && (
        <p className="field-error" id="log-filter-error" role="alert">
          {filterError}
        </p>
      )}
      <StreamStatus node={node} what={what} status={status} reason={reason} lines={entries.length} buffered={logBuffer.size} dropped={dropped} paused={paused !== undefined} onRetry={() => void open(source, bufferLines)} />
      <LogList entries={entries} label={`${node} ${what}`} onSeePower={() => setNodeTab('power')} onJumpToNewest={() => setPaused(undefined)} />
    </div>
  );
}

function StreamStatus(props: { node: string; what: string; status: string; reason: string | undefined; lines: number; buffered: number; dropped: number; paused: boolean; onRetry(): void }) {
  const { status } = props;
  const counts = `${props.lines.toLocaleString()} of ${props.buffered.toLocaleString()} lines shown${props.dropped ? ` · ${props.dropped.toLocaleString()} older lines dropped (buffer full)` : ''}`;
  if (status === 'error' || status === 'ended') {
    return (
      <p className={`log-status ${status === 'error' ? 'bad' : ''}`} role="status">
        {status === 'error' ? `Could not read the ${props.what}: ${props.reason}` : `Stopped: ${props.reason}.`} · {counts}
        <button type="button" className="button small" onClick={props.onRetry}>
          <RotateCcw size={13} aria-hidden /> Reopen
        </button>
      </p>
    );
  }
  return (
    <p className="log-status muted" role="status">
      <span className={`live-dot ${status === 'live' && !props.paused ? 'on' : ''}`} aria-hidden />
      {status === 'opening' ? `Opening ${props.node}'s ${props.what}…` : props.paused ? `Paused: ${props.node}'s ${props.what} keeps arriving in the buffer` : `Following ${props.node}'s ${props.what}`} · {counts}
    </p>
  );
}
