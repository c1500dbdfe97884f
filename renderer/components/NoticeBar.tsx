// Notices from the main process (a damaged settings file, a lost connection), dismissible.
import { AlertTriangle, Info, X, XCircle } from 'lucide-react';
import { useApp } from '../store/app';

const ICONS = { info: Info, warning: AlertTriangle, error: XCircle };

export function NoticeBar() {
  const notices = useApp((s) => s.notices);
  const error = useApp((s) => s.error);
  const dismiss = useApp((s) => s.dismissNotice);
  if (!error && notices.length === 0) return null;
  return (
    <div className="notices" role="status">
      {error && (
        <div className="notice notice-error">
          <XCircle size={16} aria-hidden />
          <span>{error}</span>
        </div>
      )}
      {notices.map((notice, i) => {
        const Icon = ICONS[notice.level];
        return (
          <div key={`${i}-${notice.message}`} className={`notice notice-${notice.level}`}>
            <Icon size={16} aria-hidden />
            <span>{notice.message}</span>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(i)}>
              <X size={14} aria-hidden />
            </button>
          </div>
        );
      })}
    </div>
  );
}
