// Left navigation: the three places of the app, the theme switch, and the version.
import { Cpu, HardDriveDownload, Network } from 'lucide-react';
import type { ReactNode } from 'react';
import { useApp } from '../store/app';
import { useNavigation, type View } from '../store/navigation';
import { AlertCentre } from './AlertCentre';
import { BrambleMark } from './BrambleMark';
import { ThemeSwitch } from './ThemeSwitch';

const ITEMS: { view: View; label: string; hint: string; icon: ReactNode }[] = [
  { view: 'flash', label: 'Flash', hint: 'Write SD cards', icon: <HardDriveDownload size={18} aria-hidden /> },
  { view: 'fleet', label: 'Fleet', hint: 'Your nodes, live', icon: <Network size={18} aria-hidden /> },
  { view: 'node', label: 'Node', hint: 'One board in depth', icon: <Cpu size={18} aria-hidden /> },
];

export function Sidebar() {
  const view = useNavigation((s) => s.view);
  const go = useNavigation((s) => s.go);
  const info = useApp((s) => s.info);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <BrambleMark size={28} />
        <span className="brand-name">Bramble</span>
        <AlertCentre />
      </div>
      <ul className="nav-list">
        {ITEMS.map((item) => (
          <li key={item.view}>
            <button
              type="button"
              className="nav-item"
              aria-current={view === item.view ? 'page' : undefined}
              onClick={() => go(item.view)}
            >
              {item.icon}
              <span className="nav-text">
                <span className="nav-label">{item.label}</span>
                <span className="nav-hint">{item.hint}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot">
        <ThemeSwitch />
        <p className="version" title={info?.dataDir}>
          {info ? `v${info.version} · ${info.transport === 'electron' ? 'desktop' : 'dev bridge'}` : 'connecting…'}
        </p>
      </div>
    </nav>
  );
}
