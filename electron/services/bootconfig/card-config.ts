// One card's first-boot configuration: the batch settings plus what differs
// per card (its hostname and its pre-generated SSH host key), and the shape of
// what a format produces: files for the boot partition and cmdline.txt tokens.
import type { BootSettings } from '../../../shared/boot-settings';

export interface HostKey {
  /** OpenSSH private key file content (ed25519). */
  privateKey: string;
  /** `ssh-ed25519 AAAA...` */
  publicKey: string;
}

export interface CardConfig extends Omit<BootSettings, 'hostnamePattern' | 'format'> {
  hostname: string;
  hostKey?: HostKey;
}

export interface BootFiles {
  files: { name: string; content: string }[];
  /** Appended, space-separated, to the single line of cmdline.txt. */
  cmdline: string[];
  /** Things the format cannot do, for the user to know (legacy cannot set a hostname). */
  warnings: string[];
}

/** The regulatory-domain token every format adds when a country is known. */
export function regdomToken(config: CardConfig): string[] {
  const country = config.wifi?.country ?? config.country;
  return country ? [`cfg80211.ieee80211_regdom=${country}`] : [];
}
