// What a view shows when there is nothing yet: what this place is for and the next step.
import type { ReactNode } from 'react';

export function EmptyState(props: { icon: ReactNode; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section className="empty-state">
      <div className="empty-icon">{props.icon}</div>
      <h2>{props.title}</h2>
      <div className="empty-body">{props.children}</div>
      {props.action && <div className="empty-action">{props.action}</div>}
    </section>
  );
}
