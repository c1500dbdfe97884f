// The chosen playbook's required variables. ssh_public_key gets the user's keys
// and Bramble's cluster key to choose from, so nobody has to paste one.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useProvision } from '../../../store/provision';

const LABELS: Record<string, string> = {
  ssh_public_key: 'SSH public key to authorise',
};

export function VarsForm({ names, disabled }: { names: string[]; disabled: boolean }) {
  if (names.length === 0) return null;
  return (
    <fieldset className="choice-set vars-form" disabled={disabled}>
      <legend>Variables</legend>
      {names.map((name) => (name === 'ssh_public_key' ? <KeyField key={name} name={name} /> : <TextVar key={name} name={name} />))}
    </fieldset>
  );
}

function TextVar({ name }: { name: string }) {
  const { vars, setVar } = useProvision(useShallow((s) => ({ vars: s.vars, setVar: s.setVar })));
  return (
    <label className="var-field">
      <span>{LABELS[name] ?? name} <span className="muted mono">{name}</span></span>
      <input className="text-input" value={vars[name] ?? ''} onChange={(e) => setVar(name, e.target.value)} spellCheck={false} />
    </label>
  );
}

const PASTE = '\u0000paste';

function KeyField({ name }: { name: string }) {
  const { vars, setVar, keys, loadKeys } = useProvision(useShallow((s) => ({ vars: s.vars, setVar: s.setVar, keys: s.keys, loadKeys: s.loadKeys })));
  const value = vars[name] ?? '';
  const known = keys.find((k) => k.key === value);
  const [pasting, setPasting] = useState(false);
  useEffect(() => {
    if (keys.length === 0) void loadKeys();
  }, [keys.length, loadKeys]);
  const showPaste = pasting || (!known && value !== '') || keys.length === 0;
  return (
    <div className="var-field">
      <label htmlFor="var-ssh-key-choice">
        {LABELS[name]} <span className="muted mono">{name}</span>
      </label>
      {keys.length > 0 && (
        <select
          id="var-ssh-key-choice"
          className="text-input ui-font provision-select"
          value={showPaste ? PASTE : value}
          onChange={(e) => {
            const paste = e.target.value === PASTE;
            setPasting(paste);
            setVar(name, paste ? '' : e.target.value);
          }}
        >
          {keys.map((k) => (
            <option key={k.key} value={k.key}>{k.label}: {shortKey(k.key)}</option>
          ))}
          <option value={PASTE}>Paste a key…</option>
        </select>
      )}
      {showPaste && (
        <textarea
          className="text-input key-paste"
          aria-label="Public key"
          rows={2}
          placeholder="ssh-ed25519 AAAA… you@laptop"
          value={value}
          onChange={(e) => setVar(name, e.target.value)}
          spellCheck={false}
        />
      )}
    </div>
  );
}

/** Enough of a key to tell two apart: its type, the last characters, and its comment. */
function shortKey(key: string): string {
  const [type, body = '', ...comment] = key.split(/\s+/);
  return `${type} …${body.slice(-8)}${comment.length ? ` ${comment.join(' ')}` : ''}`;
}
