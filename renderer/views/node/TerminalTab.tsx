// A shell on the node over its existing SSH connection: xterm.js in the page,
// the pty on the node. Keystrokes go out as terminal:input, output comes back as
// terminal:data for this session's id; the pty follows the panel's size.
import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import { RefreshCw, TerminalSquare } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { bridge } from '../../bridge';
import { useApp } from '../../store/app';
import { mirrorXtermStyles } from './xterm-csp';

type Phase = { kind: 'opening' } | { kind: 'open' } | { kind: 'ended'; reason: string };

/** Mount with key={node}: a different node is a different terminal. */
export function TerminalTab({ node, online }: { node: string; online: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal>(undefined);
  const [phase, setPhase] = useState<Phase>({ kind: 'opening' });
  // Bumped by "Reconnect": a new session in a fresh terminal.
  const [attempt, setAttempt] = useState(0);
  const theme = useApp((s) => s.settings?.theme);
  // Opens once the node is first seen online; a later drop ends the session
  // (with its reason and a Reconnect button) instead of wiping the screen.
  const [ready, setReady] = useState(online);
  useEffect(() => {
    if (online) setReady(true);
  }, [online]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host || !ready) return;
    setPhase({ kind: 'opening' });
    const term = new Terminal({
      fontFamily: "'JetBrains Mono Variable', ui-monospace, monospace",
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      theme: themeFromCss(),
    });
    termRef.current = term;
    const fit = new FitAddon();
    term.loadAddon(fit);
    const unmirror = mirrorXtermStyles(host);
    term.open(host);
    safeFit(fit);

    let id: string | undefined;
    let disposed = false;
    // Output can arrive before terminal:open has answered with the id (the prompt
    // is sent at once); it is held here until the id is known.
    const early: { id: string; data: string }[] = [];
    const offData = bridge.on('terminal:data', (e) => {
      if (e.id === id) term.write(e.data);
      else if (id === undefined) early.push(e);
    });
    const offExit = bridge.on('terminal:exit', (e) => {
      if (e.id !== id) return;
      id = undefined;
      setPhase({ kind: 'ended', reason: e.reason });
    });
    const input = term.onData((data) => {
      if (id) void bridge.terminal.input({ id, data }).catch(() => {});
    });
    const resize = term.onResize(({ cols, rows }) => {
      if (id) void bridge.terminal.resize({ id, cols: Math.max(2, cols), rows: Math.max(2, rows) }).catch(() => {});
    });
    const observer = new ResizeObserver(() => safeFit(fit));
    observer.observe(host);

    bridge.terminal
      .open({ node, cols: Math.max(2, term.cols), rows: Math.max(2, term.rows) })
      .then((r) => {
        if (disposed) return void bridge.terminal.close({ id: r.id }).catch(() => {});
        id = r.id;
        for (const e of early) if (e.id === id) term.write(e.data);
        early.length = 0;
        setPhase({ kind: 'open' });
        term.focus();
      })
      .catch((error: Error) => {
        if (!disposed) setPhase({ kind: 'ended', reason: error.message });
      });

    return () => {
      disposed = true;
      if (id) void bridge.terminal.close({ id }).catch(() => {});
      observer.disconnect();
      offData();
      offExit();
      input.dispose();
      resize.dispose();
      term.dispose();
      unmirror();
      termRef.current = undefined;
    };
  }, [node, ready, attempt]);

  // The page's theme can change under an open terminal.
  useEffect(() => {
    // After the theme attribute has changed on <html>, in the next frame.
    const frame = requestAnimationFrame(() => {
      if (termRef.current) termRef.current.options.theme = themeFromCss();
    });
    return () => cancelAnimationFrame(frame);
  }, [theme]);

  if (!ready) {
    return (
      <div className="terminal-note">
        <TerminalSquare size={20} aria-hidden />
        <p>A terminal needs {node} online. It opens here as soon as the node is back.</p>
      </div>
    );
  }
  return (
    <div className="terminal-wrap">
      {phase.kind === 'ended' && (
        <div className="terminal-ended" role="status">
          <span>Session ended: {phase.reason}.</span>
          <button type="button" className="button small" onClick={() => setAttempt((a) => a + 1)}><RefreshCw size={14} aria-hidden /> Reconnect</button>
        </div>
      )}
      {phase.kind === 'opening' && <p className="muted small" role="status">Opening a shell on {node}…</p>}
      <div ref={hostRef} className="terminal-host" aria-label={`Terminal on ${node}`} />
    </div>
  );
}

function safeFit(fit: FitAddon): void {
  // Fitting a hidden or zero-size element throws inside xterm; the next resize fits it.
  try {
    fit.fit();
  } catch {
    /* not laid out yet */
  }
}

/** The terminal's colours from the page's theme tokens, so it matches dark and light. */
function themeFromCss(): ITheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    background: v('--surface'),
    foreground: v('--text'),
    cursor: v('--accent-strong'),
    cursorAccent: v('--surface'),
    selectionBackground: v('--busy-bg'),
    selectionForeground: v('--text'),
    green: v('--ok'),
    red: v('--bad'),
    yellow: v('--warn'),
    blue: v('--busy'),
    magenta: v('--accent-strong'),
  };
}
