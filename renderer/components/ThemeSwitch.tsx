// A three-way switch: follow the system, or force dark or light.
import { Monitor, Moon, Sun } from 'lucide-react';
import type { Theme } from '../../shared/contract';
import { useApp } from '../store/app';

const OPTIONS: { theme: Theme; label: string; icon: typeof Sun }[] = [
  { theme: 'system', label: 'System theme', icon: Monitor },
  { theme: 'dark', label: 'Dark theme', icon: Moon },
  { theme: 'light', label: 'Light theme', icon: Sun },
];

export function ThemeSwitch() {
  const theme = useApp((s) => s.settings?.theme ?? 'system');
  const setTheme = useApp((s) => s.setTheme);
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme">
      {OPTIONS.map(({ theme: value, label, icon: Icon }) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={theme === value}
          aria-label={label}
          title={label}
          onClick={() => void setTheme(value)}
        >
          <Icon size={15} aria-hidden />
        </button>
      ))}
    </div>
  );
}
