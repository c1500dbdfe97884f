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
  locale: string;
  extraCommands: string;
  format: BootSettings['format'];
}

interface BootState extends BootForm {
  /** Hashes carried over from a loaded profile, used when the secret fields are left empty. */
  /** Names the user typed for particular cards, overriding the pattern. */
  names: Record<string, string>;
  savedPasswordHash: string | undefined;
  savedWifi: { ssid: string; psk: string } | undefined;
  profiles: { name: string; settings: BootSettings }[];
  keys: { file: string; key: string }[];
  message: string | undefined;
  set(patch: Partial<BootForm>): void;
  setName(device: string, name: string): void;
  load(): Promise<void>;
  applyProfile(name: string): void;
  saveProfile(name: string): Promise<void>;
  deleteProfile(name: string): Promise<void>;
  addKey(key: string): void;
  useClusterKey(): Promise<void>;
  /** Hashes the secrets and validates everything; throws one plain sentence on a problem. */
  settings(options?: { force?: boolean }): Promise<BootSettings | undefined>;
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
  locale: '',
  extraCommands: '',
  format: 'auto',
  names: {},
  savedPasswordHash: undefined,
  savedWifi: undefined,
  profiles: [],
  keys: [],
  message: undefined,
  set: (patch) => set(patch),
  setName: (device, name) => set((s) => ({ names: { ...s.names, [device]: name } })),
  async load() {
    try {
      const [profiles, keys] = await Promise.all([bridge.boot.profiles({}), bridge.boot.sshKeys({})]);
      set({ profiles, keys });
    } catch (error) {
      set({ message: (error as Error).message });
    }
  },
  applyProfile(name) {
    const p = get().profiles.find((x) => x.name === name)?.settings;
    if (!p) return;
    set({
      enabled: true,
      hostnamePattern: p.hostnamePattern,
      user: p.user.name,
      password: '',
      savedPasswordHash: p.user.passwordHash,
      passwordLogin: p.user.passwordLogin,
      sshKey: p.sshKeys.join('\n'),
      wifiSsid: p.wifi?.ssid ?? '',
      wifiPassphrase: '',
      savedWifi: p.wifi ? { ssid: p.wifi.ssid, psk: p.wifi.psk } : undefined,
      wifiCountry: p.wifi?.country ?? p.country ?? '',
      wifiHidden: p.wifi?.hidden ?? false,
      timezone: p.timezone ?? '',
      keyboard: p.keyboard ?? '',
      locale: p.locale ?? '',
      extraCommands: p.extraCommands ?? '',
      format: p.format,
      message: `Loaded the profile ${name}.`,
    });
  },
  async saveProfile(name) {
    try {
      const settings = await get().settings({ force: true });
      set({ profiles: await bridge.boot.saveProfile({ name, settings: settings! }), message: `Saved the profile ${name} (passwords only as hashes).` });
    } catch (error) {
      set({ message: (error as Error).message });
    }
  },
  async deleteProfile(name) {
    set({ profiles: await bridge.boot.deleteProfile({ name }), message: `Deleted the profile ${name}.` });
  },
  addKey(key) {
    const keys = get().sshKey.split('\n').map((k) => k.trim()).filter(Boolean);
    if (!keys.includes(key)) set({ sshKey: [...keys, key].join('\n') });
  },
  async useClusterKey() {
    const { key, file } = await bridge.boot.clusterKey({});
    get().addKey(key);
    set({ message: `Added the cluster key; its private half is ${file.replace(/\.pub$/, '')}.` });
  },
  async settings(options) {
    const f = get();
    if (!f.enabled && !options?.force) return undefined;
    const hashed = await bridge.boot.hashSecrets({
      password: f.password || undefined,
      wifi: f.wifiSsid && f.wifiPassphrase ? { ssid: f.wifiSsid, passphrase: f.wifiPassphrase } : undefined,
    });
    const passwordHash = hashed.passwordHash ?? f.savedPasswordHash;
    const psk = hashed.psk ?? (f.savedWifi?.ssid === f.wifiSsid ? f.savedWifi.psk : undefined);
    if (f.wifiSsid && !psk) throw new Error(`First boot: type the passphrase for ${f.wifiSsid}.`);
    const parsed = BootSettingsSchema.safeParse({
      hostnamePattern: f.hostnamePattern,
      user: { name: f.user, passwordHash, passwordLogin: f.passwordLogin },
      sshKeys: f.sshKey.trim() ? f.sshKey.trim().split('\n').map((k) => k.trim()).filter(Boolean) : [],
      wifi: f.wifiSsid ? { ssid: f.wifiSsid, psk, hidden: f.wifiHidden, country: f.wifiCountry } : undefined,
      country: f.wifiCountry || undefined,
      timezone: f.timezone || undefined,
      keyboard: f.keyboard || undefined,
      locale: f.locale || undefined,
      extraCommands: f.extraCommands.trim() || undefined,
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

/** Each selected card's hostname: the user's own, or the pattern's for its position. */
export function cardNames(pattern: string, devices: string[], overrides: Record<string, string>): string[] {
  return devices.map((d, i) => overrides[d]?.trim() || pattern.replace(/\{(n+)\}/g, (_m, ns: string) => String(i + 1).padStart(ns.length, '0')));
}
