// The inventory in the formats other tools read: Ansible (YAML or INI), or static
// leases for dnsmasq or ISC dhcpd. Shown as text to copy, and as a download.
import { Copy, Download } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { InventoryFormat } from '../../../shared/fleet';
import { useFleet } from '../../store/fleet';
import { errorText } from './node-status';

const FORMATS: { id: InventoryFormat; label: string }[] = [
  { id: 'ansible-yaml', label: 'Ansible inventory (YAML)' },
  { id: 'ansible-ini', label: 'Ansible inventory (INI)' },
  { id: 'dnsmasq', label: 'dnsmasq static leases' },
  { id: 'dhcpd', label: 'ISC dhcpd host entries' },
];

export function ExportPanel() {
  const exportInventory = useFleet((s) => s.export);
  const [format, setFormat] = useState<InventoryFormat>('ansible-yaml');
  const [out, setOut] = useState<{ text: string; fileName: string; url: string }>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);

  // Each export gets a fresh Blob URL; the old one is released so it does not pin memory.
  useEffect(() => () => { if (out) URL.revokeObjectURL(out.url); }, [out]);

  const run = async () => {
    setError(undefined);
    setCopied(false);
    try {
      const { text, fileName } = await exportInventory(format);
      setOut({ text, fileName, url: URL.createObjectURL(new Blob([text], { type: 'text/plain' })) });
    } catch (err) {
      setError(errorText(err));
    }
  };

  const copy = async () => {
    if (!out) return;
    try {
      await navigator.clipboard.writeText(out.text);
    } catch {
      // The desktop app denies permission prompts; copying the selection needs none.
      textRef.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
  };

  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading" className="panel-title">Export the inventory</h2>
      <div className="path-row">
        <select className="text-input ui-font" aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as InventoryFormat)}>
          {FORMATS.map((f) => (
            <option key={f.id} value={f.id}>{f.label}</option>
          ))}
        </select>
        <button type="button" className="button primary" onClick={() => void run()}>Export</button>
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
      {out && (
        <>
          <textarea ref={textRef} className="text-input export-text" aria-label="Exported inventory" readOnly value={out.text} rows={Math.min(16, out.text.split('\n').length + 1)} spellCheck={false} />
          <div className="view-actions">
            <button type="button" className="button" onClick={() => void copy()}><Copy size={14} aria-hidden /> {copied ? 'Copied' : 'Copy'}</button>
            <a className="button" href={out.url} download={out.fileName}><Download size={14} aria-hidden /> Download {out.fileName}</a>
          </div>
        </>
      )}
    </section>
  );
}
