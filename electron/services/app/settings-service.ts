// The user's app settings (theme, catalogue, telemetry and alert preferences),
// kept in settings.json in the data folder.
import { SettingsSchema, type Settings } from '../../../shared/contract';
import type { Emit } from '../event-hub';
import { openStore, type JsonFileStore } from '../storage/json-file-store';
import type { NoticeBoard } from './notice-board';

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({ theme: 'system' });

export class SettingsService {
  private readonly store: JsonFileStore<typeof SettingsSchema>;
  private current: Settings;

  constructor(dataDir: string, private readonly emit: Emit, notices: NoticeBoard) {
    const { store, value } = openStore(dataDir, 'settings.json', SettingsSchema, () => ({ ...DEFAULT_SETTINGS }), notices);
    this.store = store;
    this.current = value;
  }

  get(): Settings {
    return { ...this.current };
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = SettingsSchema.parse({ ...this.current, ...patch });
    await this.store.save(next);
    this.current = next;
    this.emit('settings:changed', next);
    return this.get();
  }
}
