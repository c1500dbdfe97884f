// Which of the chosen playbook's tagged tasks run, as ansible-playbook's
// --tags and --skip-tags: each tag runs as usual, alone ("only"), or not at all.
import { useShallow } from 'zustand/react/shallow';
import { useProvision, type TagChoice } from '../../../store/provision';

const CHOICES: { value: TagChoice | undefined; label: string }[] = [
  { value: undefined, label: 'as usual' },
  { value: 'only', label: 'only' },
  { value: 'skip', label: 'skip' },
];

export function TagFilter({ tags, disabled }: { tags: string[]; disabled: boolean }) {
  const { tagChoice, setTagChoice } = useProvision(useShallow((s) => ({ tagChoice: s.tagChoice, setTagChoice: s.setTagChoice })));
  if (tags.length === 0) return null;
  const only = tags.filter((t) => tagChoice[t] === 'only');
  const skip = tags.filter((t) => tagChoice[t] === 'skip');
  return (
    <fieldset className="choice-set tag-filter" disabled={disabled}>
      <legend>Tagged tasks</legend>
      <table className="tag-table">
        <tbody>
          {tags.map((tag) => (
            <tr key={tag} data-tag={tag}>
              <th scope="row" className="mono">{tag}</th>
              {CHOICES.map((c) => (
                <td key={c.label}>
                  <label className="toggle">
                    <input type="radio" name={`tag-${tag}`} checked={tagChoice[tag] === c.value} onChange={() => setTagChoice(tag, c.value)} aria-label={`${tag}: ${c.label}`} />
                    {c.label}
                  </label>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small tag-summary" aria-live="polite">
        {only.length === 0 && skip.length === 0
          ? 'Every task runs (except any tagged never).'
          : [only.length ? `Only tasks tagged ${only.join(', ')} (and always).` : '', skip.length ? `Tasks tagged ${skip.join(', ')} are skipped.` : ''].filter(Boolean).join(' ')}
      </p>
    </fieldset>
  );
}
