// How to run: for real or as a dry run, with Bramble's runner or real Ansible,
// how many nodes at a time, and a sudo password for nodes that ask for one.
import { useShallow } from 'zustand/react/shallow';
import { useProvision } from '../../../store/provision';

export function RunOptions({ disabled }: { disabled: boolean }) {
  const { check, setCheck, engine, setEngine, ansible, becomePassword, setBecomePassword, forks, setForks } = useProvision(
    useShallow((s) => ({ check: s.check, setCheck: s.setCheck, engine: s.engine, setEngine: s.setEngine, ansible: s.ansible, becomePassword: s.becomePassword, setBecomePassword: s.setBecomePassword, forks: s.forks, setForks: s.setForks })),
  );
  const hasAnsible = Boolean(ansible?.path);
  return (
    <div className="run-options">
      <label className="toggle">
        <input type="checkbox" checked={check} disabled={disabled} onChange={(e) => setCheck(e.target.checked)} />
        Check only: show what would change
      </label>
      <fieldset className="choice-set" disabled={disabled}>
        <legend>Engine</legend>
        <label className="toggle">
          <input type="radio" name="engine" checked={engine === 'bramble'} onChange={() => setEngine('bramble')} />
          Bramble
        </label>
        <label className="toggle">
          <input
            type="radio"
            name="engine"
            checked={engine === 'ansible'}
            disabled={!hasAnsible}
            aria-describedby="engine-ansible-note"
            onChange={() => setEngine('ansible')}
          />
          Run with Ansible
        </label>
        <span id="engine-ansible-note" className="muted small">
          {ansible === undefined
            ? 'Looking for ansible-playbook…'
            : hasAnsible
              ? `${ansible.version ? `Ansible ${ansible.version}` : 'ansible-playbook'} at ${ansible.path}`
              : 'ansible-playbook is not installed on this computer (not found on PATH).'}
        </span>
      </fieldset>
      <label className="var-field forks-field">
        <span>Nodes at a time <span className="muted">(Ansible's forks)</span></span>
        <input type="number" className="text-input" min={1} max={256} step={1} value={forks} disabled={disabled} onChange={(e) => setForks(e.target.valueAsNumber)} />
      </label>
      <label className="var-field become-field">
        <span>Sudo password <span className="muted">(only if the nodes ask for one; kept for this run only)</span></span>
        <input
          type="password"
          className="text-input"
          autoComplete="off"
          value={becomePassword}
          disabled={disabled}
          onChange={(e) => setBecomePassword(e.target.value)}
        />
      </label>
    </div>
  );
}
