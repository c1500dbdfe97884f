// A modal box over the view: Escape or the overlay closes it, focus starts
// inside it. Forms use role=dialog; questions that erase or reboot, alertdialog.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Modal(props: { title: ReactNode; role?: 'dialog' | 'alertdialog'; tone?: 'danger' | 'plain'; onClose(): void; children: ReactNode; wide?: boolean }) {
  const titleId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The first field (or, in a question, the safe answer marked autofocus) gets focus.
    const box = boxRef.current;
    const target = box?.querySelector<HTMLElement>('[data-autofocus]') ?? box?.querySelector<HTMLElement>('input, select, textarea, button');
    target?.focus();
  }, []);
  return (
    <div
      className="overlay"
      role="presentation"
      onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}
      onKeyDown={(e) => e.key === 'Escape' && props.onClose()}
    >
      <div
        ref={boxRef}
        className={`dialog${props.tone === 'plain' ? ' plain' : ''}${props.wide ? ' wide' : ''}`}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
