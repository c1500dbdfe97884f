// Add a board by its address, or edit one: how to reach it, how to log in, and
// the groups and power supply it belongs to. The main process checks every field
// again; its message is shown as it comes.
import { useState, type FormEvent } from 'react';
import type { FleetNode, NodeAuth } from '../../../shared/fleet';
import { useFleet } from '../../store/fleet';
import { Modal } from './Modal';
import { errorText } from './node-status';

type AuthKind = NodeAuth['kind'];

export function NodeDialog({ node, onClose }: { node?: FleetNode; onClose(): void }) {
  const { add, update } = useFleet();
  const editing = node !== undefined;
  const [name, setName] = useState(node?.name ?? '');
  const [host, setHost] = useState(node?.host ?? '');
  const [port, setPort] = useState(String(node?.port ?? 22));
  const [user, setUser] = useState(node?.user ?? 'pi');
  const [auth, setAuth] = useState<AuthKind>(node?.auth.kind ?? 'agent');
  const [keyPath, setKeyPath] = useState(node?.auth.kind === 'key' ? node.auth.path : '');
  const [password, setPassword] = useState('');
  const [groups, setGroups] = useState(node?.groups.join(', ') ?? '');
  const [supply, setSupply] = useState(node?.supply ?? '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const portNumber = Number(port);
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) return setError('The port is a whole number from 1 to 65535.');
    if (auth === 'key' && !keyPath.trim()) return setError('Enter the path of the private key file.');
    if (auth === 'password' && !editing && !password) return setError('Enter the password, or choose ssh-agent or a key file.');
    const authValue: NodeAuth = auth === 'key' ? { kind: 'key', path: keyPath.trim() } : { kind: auth };
    const fields = {
      host: host.trim(),
      port: portNumber,
      user: user.trim(),
      auth: authValue,
      groups: groups.split(',').map((g) => g.trim()).filter(Boolean),
      supply: supply.trim() || undefined,
    };
    setBusy(true);
    setError(undefined);
    try {
      if (editing) await update(node.name, fields, auth === 'password' ? password : undefined);
      else await add({ name: name.trim(), ...fields }, auth === 'password' ? password : undefined);
      onClose();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={editing ? `Edit ${node.name}` : 'Add a node'} tone="plain" onClose={onClose} wide>
      <form className="node-form" onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <label>
            Name
            <input className="text-input" value={name} onChange={(e) => setName(e.target.value)} disabled={editing} required spellCheck={false} placeholder="node-01" />
          </label>
          <label>
            Host
            <input className="text-input" value={host} onChange={(e) => setHost(e.target.value)} required spellCheck={false} placeholder="node-01.local or 192.168.1.21" />
          </label>
          <label>
            Port
            <input className="text-input" value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" required />
          </label>
          <label>
            User
            <input className="text-input" value={user} onChange={(e) => setUser(e.target.value)} required spellCheck={false} autoComplete="off" />
          </label>
        </div>
        <fieldset className="auth-choice">
          <legend>Log in with</legend>
          <label className="toggle">
            <input type="radio" name="auth" checked={auth === 'agent'} onChange={() => setAuth('agent')} /> ssh-agent
          </label>
          <label className="toggle">
            <input type="radio" name="auth" checked={auth === 'key'} onChange={() => setAuth('key')} /> Key file
          </label>
          <label className="toggle">
            <input type="radio" name="auth" checked={auth === 'password'} onChange={() => setAuth('password')} /> Password
          </label>
        </fieldset>
        {auth === 'key' && (
          <label className="field">
            Private key file
            <input className="text-input" value={keyPath} onChange={(e) => setKeyPath(e.target.value)} spellCheck={false} placeholder="~/.ssh/id_ed25519" />
            <span className="muted small">If the key has a passphrase, Bramble asks for it when it first connects and keeps it in memory only.</span>
          </label>
        )}
        {auth === 'password' && (
          <label className="field">
            Password
            <input className="text-input" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" placeholder={editing ? 'Leave empty to keep the saved one' : ''} />
            <span className="muted small">Kept encrypted by the system keychain, never in the inventory file. A key is safer.</span>
          </label>
        )}
        <div className="form-grid">
          <label>
            Groups
            <input className="text-input" value={groups} onChange={(e) => setGroups(e.target.value)} spellCheck={false} placeholder="workers, rack-a" />
            <span className="muted small">Comma separated; they become Ansible groups.</span>
          </label>
          <label>
            Power supply
            <input className="text-input" value={supply} onChange={(e) => setSupply(e.target.value)} spellCheck={false} placeholder="hub-1" />
            <span className="muted small">Boards on one charger or hub, to tell a bad supply from a bad board.</span>
          </label>
        </div>
        {error && <p className="field-error" role="alert">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="button primary" disabled={busy}>{editing ? 'Save' : 'Add node'}</button>
        </div>
      </form>
    </Modal>
  );
}
