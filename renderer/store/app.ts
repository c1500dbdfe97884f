// App-wide state from the main process: version and data folder, settings
// (theme), and notices the user has not dismissed yet.
import { create } from 'zustand';
import type { AppInfo, Notice, Settings, Theme } from '../../shared/contract';
import { bridge } from '../bridge';

interface AppState {
  info: AppInfo | undefined;
  settings: Settings | undefined;
  notices: Notice[];
  error: string | undefined;
  load(): Promise<void>;
  setTheme(theme: Theme): Promise<void>;
  dismissNotice(index: number): void;
}

export const useApp = create<AppState>()((set) => ({
  info: undefined,
  settings: undefined,
  notices: [],
  error: undefined,
  async load() {
    try {
      const [info, settings, notices] = await Promise.all([bridge.app.info({}), bridge.settings.get({}), bridge.app.notices({})]);
      set({ info, settings, notices, error: undefined });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  async setTheme(theme) {
    try {
      set({ settings: await bridge.settings.update({ theme }) });
    } catch (error) {
      set((s) => ({ notices: [...s.notices, { level: 'error', message: (error as Error).message }] }));
    }
  },
  dismissNotice: (index) => set((s) => ({ notices: s.notices.filter((_, i) => i !== index) })),
}));

/** Keeps the store in step with changes pushed by the main process. */
export function subscribeAppEvents(): () => void {
  const offSettings = bridge.on('settings:changed', (settings) => useApp.setState({ settings }));
  const offNotice = bridge.on('app:notice', (notice) => useApp.setState((s) => ({ notices: [...s.notices, notice] })));
  return () => {
    offSettings();
    offNotice();
  };
}
