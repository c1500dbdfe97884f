// The Flash view's first-boot form. Plain secrets live only in this store
// until they are hashed by the main process at write time; nothing here is
// persisted.
import { create } from 'zustand';
import type { BootSettings } from '../../shared/boot-settings';
import { BootSettingsSchema, checkBootSettings } from '../../shared/boot-settings';
import { bridge } from '../bridge';

export interface BootForm {
  enabled: boolean;
  hostnamePattern: string;
  user: string;
  password: string;
  passwordLogin: boolean;
  sshKey: string;
  wifiSsid: string;
  wifiPassphrase: string;
  wifiCountry: string;
  wifiHidden: boolean;
  timezone: string;
  keyboard: string;
  format: BootSettings['format'];
}

interface BootState extends BootForm {
  set(patch: Partial<BootForm>): void;
  /** Hashes the secrets and validates everything; throws one plain sentence on a problem. */
  settings(): Promise<BootSettings | undefined>;
}

export const useBoot = create<BootState>()((set, get) => ({
  enabled: false,
  hostnamePattern: 'node-{nn}',
  user: 'pi',
  password: '',
  passwordLogin: true,
  sshKey: '',
  wifiSsid: '',
  wifiPassphrase: '',
  wifiCountry: '',
  wifiHidden: false,
  timezone: '',
  keyboard: '',
  format: 'auto',
  set: (patch) => set(patch),
  async settings() {
    const f = get();
    if (!f.enabled) return undefined;
    const hashed = await bridge.boot.hashSecrets({
      password: f.password || undefined,
      wifi: f.wifiSsid ? { ssid: f.wifiSsid, passphrase: f.wifiPassphrase } : undefined,
    });
    const parsed = BootSettingsSchema.safeParse({
      hostnamePattern: f.hostnamePattern,
      user: { name: f.user, passwordHash: hashed.passwordHash, passwordLogin: f.passwordLogin },
      sshKeys: f.sshKey.trim() ? f.sshKey.trim().split('\n').map((k) => k.trim()).filter(Boolean) : [],
      wifi: f.wifiSsid ? { ssid: f.wifiSsid, psk: hashed.psk, hidden: f.wifiHidden, country: f.wifiCountry } : undefined,
      country: f.wifiCountry || undefined,
      timezone: f.timezone || undefined,
      keyboard: f.keyboard || undefined,
      format: f.format,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`First boot: ${issue.message} (${issue.path.join(' ')}).`);
    }
    const problems = checkBootSettings(parsed.data);
    if (problems.length) throw new Error(problems.join(' '));
    return parsed.data;
  },
}));
