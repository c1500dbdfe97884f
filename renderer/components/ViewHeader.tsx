// The title row of a view: a heading, one line of context, and optional actions.
import type { ReactNode } from 'react';

export function ViewHeader(props: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="view-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle && <p className="subtitle">{props.subtitle}</p>}
      </div>
      {props.actions && <div className="view-actions">{props.actions}</div>}
    </header>
  );
}
