// The lines on screen (after filtering) as a text file, or on the clipboard,
// in the same format as the CLI's export.
import { Copy, Download } from 'lucide-react';
import { useState } from 'react';
import type { LogEntry } from '../../../../shared/logs/log-entry';
import { formatLogText } from '../../../../shared/logs/log-format';

export function ExportButtons({ entries, header, fileName }: { entries: LogEntry[]; header: string; fileName: string }) {
  const [note, setNote] = useState<string>();
  const text = () => formatLogText(entries, header);

  const download = () => {
    const url = URL.createObjectURL(new Blob([text()], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    // The download has its own copy by the next tick; the URL would otherwise pin the text in memory.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setNote(`Saved ${entries.length.toLocaleString()} lines as ${fileName}`);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text());
      setNote(`Copied ${entries.length.toLocaleString()} lines`);
    } catch (e) {
      setNote(`Could not copy: ${(e as Error).message}`);
    }
  };

  return (
    <span className="log-export">
      <button type="button" className="button small" onClick={download} disabled={entries.length === 0}>
        <Download size={13} aria-hidden /> Export
      </button>
      <button type="button" className="button small" onClick={() => void copy()} disabled={entries.length === 0}>
        <Copy size={13} aria-hidden /> Copy
      </button>
      {note && (
        <span className="muted small" role="status">
          {note}
        </span>
      )}
    </span>
  );
}
