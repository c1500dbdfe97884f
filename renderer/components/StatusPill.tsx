// A status word with its colour, read at a glance: online, offline, warning, connecting, pending.
export type Status = 'online' | 'offline' | 'warning' | 'connecting' | 'pending';

export function StatusPill({ status, children }: { status: Status; children?: React.ReactNode }) {
  return (
    <span className={`pill pill-${status}`}>
      <span className="dot" aria-hidden />
      {children ?? status}
    </span>
  );
}
