// PLAY RECAP as a table: one row per node, Ansible's seven counts, non-zero
// problems in colour so a failure is found without reading numbers.
import type { Recap } from '../../../store/provision';

const COLUMNS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;

export function RecapTable({ recap, check }: { recap: Recap; check: boolean }) {
  const hosts = Object.keys(recap).sort();
  return (
    <table className="recap-table" aria-label="Play recap">
      <thead>
        <tr>
          <th scope="col">Host</th>
          {COLUMNS.map((c) => (
            <th key={c} scope="col">{c === 'changed' && check ? 'would change' : c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {hosts.map((host) => {
          const r = recap[host]!;
          return (
            <tr key={host} data-host={host} className={r.failed || r.unreachable ? 'recap-bad' : r.changed ? 'recap-changed' : 'recap-ok'}>
              <th scope="row">{host}</th>
              {COLUMNS.map((c) => (
                <td key={c} data-col={c} className={r[c] > 0 ? `n-${c}` : 'zero'}>{r[c]}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
