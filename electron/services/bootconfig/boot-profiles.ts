// Named first-boot profiles ("lab cluster", "home cluster"), kept in the data
// folder. They hold only what settings hold: a password hash and a Wi-Fi PSK,
// never the plain values.
import { z } from 'zod';
import { BootSettingsSchema, type BootSettings } from '../../../shared/boot-settings';
import type { NoticeBoard } from '../app/notice-board';
import { openStore, type JsonFileStore } from '../storage/json-file-store';
import { UserError } from '../user-error';

export const ProfileSchema = z.object({ name: z.string().min(1).max(60), settings: BootSettingsSchema });
export type Profile = z.infer<typeof ProfileSchema>;
const FileSchema = z.object({ profiles: z.array(ProfileSchema) });

export class BootProfiles {
  private readonly store: JsonFileStore<typeof FileSchema>;
  private profiles: Profile[];

  constructor(dataDir: string, notices: NoticeBoard) {
    const { store, value } = openStore(dataDir, 'boot-profiles.json', FileSchema, () => ({ profiles: [] }), notices);
    this.store = store;
    this.profiles = value.profiles;
  }

  list(): Profile[] {
    return [...this.profiles].sort((a, b) => a.name.localeCompare(b.name));
  }

  async save(name: string, settings: BootSettings): Promise<Profile[]> {
    if (!name.trim()) throw new UserError('Give the profile a name.');
    this.profiles = [...this.profiles.filter((p) => p.name !== name.trim()), { name: name.trim(), settings }];
    await this.store.save({ profiles: this.profiles });
    return this.list();
  }

  async remove(name: string): Promise<Profile[]> {
    this.profiles = this.profiles.filter((p) => p.name !== name);
    await this.store.save({ profiles: this.profiles });
    return this.list();
  }
}
