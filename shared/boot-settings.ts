// First-boot settings for a batch of cards, as the user fills them in once.
// Stored in profiles without any plain secret: the password is kept only as a
// crypt(3) hash and the Wi-Fi passphrase only as its PBKDF2 PSK. Every field is
// validated here so hostile values are refused with a plain reason before any
// file is generated.
import { z } from 'zod';

/** RFC 1123 label: what a Pi's hostname (and its NAME.local) can be. */
export const HostnameSchema = z
  .string()
  .min(1, 'a hostname cannot be empty')
  .max(63, 'a hostname is at most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i, 'a hostname uses only letters, digits and hyphens, and does not start or end with a hyphen');

/** Raspberry Pi OS's rule for the first user (userconf-pi). */
export const UsernameSchema = z
  .string()
  .min(1, 'a user name cannot be empty')
  .max(32, 'a user name is at most 32 characters')
  .regex(/^[a-z][a-z0-9-]*$/, 'a user name starts with a lower-case letter and uses only a-z, 0-9 and hyphens')
  .refine((u) => u !== 'root', 'the first user cannot be root');

export const PasswordHashSchema = z.string().regex(/^\$(6|5|y)\$[^\s:]+$/, 'the password hash must be a crypt(3) SHA-512, SHA-256 or yescrypt string');

export const SshPublicKeySchema = z
  .string()
  .trim()
  .regex(/^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\n\r'"\\`$]{0,200})?$/, 'not an OpenSSH public key line (or its comment has quotes or shell characters)');

/** ISO 3166-1 alpha-2, as the Wi-Fi regulatory domain wants it. */
export const CountrySchema = z.string().regex(/^[A-Z]{2}$/, 'a Wi-Fi country is two capital letters, like GB or US');

export const WifiSchema = z.object({
  /** 1 to 32 bytes of UTF-8, any characters (they are quoted wherever they are written). */
  ssid: z.string().min(1, 'the network name cannot be empty').refine((s) => new TextEncoder().encode(s).length <= 32, 'a network name is at most 32 bytes').refine((s) => !/[\0\n\r]/.test(s), 'a network name cannot contain line breaks or NUL'),
  /** The PBKDF2 pre-shared key, 64 hex digits: the passphrase itself is never kept. */
  psk: z.string().regex(/^[0-9a-f]{64}$/, 'the Wi-Fi key must be a 64-digit hex PSK'),
  hidden: z.boolean().default(false),
  country: CountrySchema,
});

export const BootFormatSchema = z.enum(['auto', 'legacy', 'firstrun', 'cloud-init']);
export type BootFormat = z.infer<typeof BootFormatSchema>;

export const BootSettingsSchema = z.object({
  /** `node-{nn}` names cards node-01, node-02…; {n}, {nn}, {nnn} give the digits. */
  hostnamePattern: z.string().min(1).max(63),
  user: z.object({ name: UsernameSchema, passwordHash: PasswordHashSchema.optional(), passwordLogin: z.boolean().default(true) }),
  sshKeys: z.array(SshPublicKeySchema).max(20).default([]),
  wifi: WifiSchema.optional(),
  /** Regulatory domain when there is no Wi-Fi network to join (still set on the kernel command line). */
  country: CountrySchema.optional(),
  timezone: z.string().regex(/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/, 'a time zone looks like Europe/London').max(64).optional(),
  keyboard: z.string().regex(/^[a-z]{2,8}$/, 'a keyboard layout looks like gb or us').optional(),
  locale: z.string().regex(/^[a-z]{2,3}_[A-Z]{2}(\.UTF-8)?$/, 'a locale looks like en_GB.UTF-8').optional(),
  /** The user's own shell commands for first boot, run as root after everything else. */
  extraCommands: z.string().max(16_000).optional(),
  format: BootFormatSchema.default('auto'),
});
export type BootSettings = z.infer<typeof BootSettingsSchema>;

export const PasswordLoginRule = 'Password login can only be switched off when at least one SSH key is given.';

export function checkBootSettings(settings: BootSettings): string[] {
  const problems: string[] = [];
  if (!settings.user.passwordLogin && settings.sshKeys.length === 0) problems.push(PasswordLoginRule);
  if (!settings.user.passwordHash && settings.sshKeys.length === 0) problems.push('Give a password or an SSH key, or nobody will be able to log in.');
  return problems;
}
