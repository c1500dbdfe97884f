// A tile's "more" menu: the actions that change a node, kept off the tile's face
// so a click on the tile only ever opens the node.
import { EllipsisVertical, Pencil, Power, RefreshCw, RotateCcw, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface NodeMenuActions {
  onReboot?(): void;
  onShutdown?(): void;
  onReconnect(): void;
  onEdit(): void;
  onRemove(): void;
}

export function NodeMenu({ name, actions }: { name: string; actions: NodeMenuActions }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    rootRef.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const item = (label: string, icon: ReactNode, run: (() => void) | undefined, danger = false) =>
    run && (
      <li role="none">
        <button
          type="button"
          role="menuitem"
          className={`menu-item${danger ? ' danger' : ''}`}
          onClick={() => {
            setOpen(false);
            run();
          }}
        >
          {icon} {label}
        </button>
      </li>
    );

  return (
    <div className="menu-root" ref={rootRef} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" className="icon-button" aria-label={`Actions for ${name}`} aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        <EllipsisVertical size={16} aria-hidden />
      </button>
      {open && (
        <ul className="menu" role="menu" aria-label={`Actions for ${name}`}>
          {item('Reboot', <RotateCcw size={14} aria-hidden />, actions.onReboot)}
          {item('Shut down', <Power size={14} aria-hidden />, actions.onShutdown)}
          {item('Reconnect', <RefreshCw size={14} aria-hidden />, actions.onReconnect)}
          {item('Edit', <Pencil size={14} aria-hidden />, actions.onEdit)}
          {item('Remove', <Trash2 size={14} aria-hidden />, actions.onRemove, true)}
        </ul>
      )}
    </div>
  );
}
