// The first-boot options `bramble flash` and `bramble customize` share, turned
// into validated settings. Secrets never come from argv (other users can read
// it in `ps`): BRAMBLE_PASSWORD and BRAMBLE_WIFI_PASSPHRASE, or a prompt.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { ParseArgsConfig } from 'node:util';
import { BootFormatSchema, BootSettingsSchema, checkBootSettings, type BootSettings } from '../../shared/boot-settings';
import { hashPassword, wifiPsk } from '../services/bootconfig/secrets';
import { UserError } from '../services/user-error';
import type { CommandContext } from './command';

export const BOOT_OPTIONS: ParseArgsConfig['options'] = {
  hostname: { type: 'string' },
  user: { type: 'string' },
  'ssh-key': { type: 'string', multiple: true },
  'no-password-login': { type: 'boolean' },
  'wifi-ssid': { type: 'string' },
  'wifi-country': { type: 'string' },
  'wifi-hidden': { type: 'boolean' },
  timezone: { type: 'string' },
  keyboard: { type: 'string' },
  locale: { type: 'string' },
  format: { type: 'string' },
};

export const BOOT_USAGE = '[--hostname node-{nn}] [--user U] [--ssh-key FILE ...] [--no-password-login] [--wifi-ssid S --wifi-country CC [--wifi-hidden]] [--timezone TZ] [--keyboard KB] [--locale L] [--format auto|legacy|firstrun|cloud-init]';

/** Undefined when no first-boot option was given (then the image is written as it is). */
export async function bootSettingsFrom(values: Record<string, unknown>, ctx: CommandContext): Promise<BootSettings | undefined> {
  if (!Object.keys(BOOT_OPTIONS!).some((k) => values[k] !== undefined)) return undefined;
  const user = (values.user as string | undefined) ?? 'pi';
  const password = ctx.env.BRAMBLE_PASSWORD ?? (process.stdin.isTTY ? await askSecret(`Password for ${user} (empty for none): `) : undefined);
  const ssid = values['wifi-ssid'] as string | undefined;
  let wifi: BootSettings['wifi'];
  if (ssid) {
    const country = values['wifi-country'] as string | undefined;
    if (!country) throw new UserError('Give the Wi-Fi country with --wifi-country (two letters, like GB): it sets which channels the board may use.');
    const passphrase = ctx.env.BRAMBLE_WIFI_PASSPHRASE ?? (process.stdin.isTTY ? await askSecret(`Passphrase for ${ssid}: `) : undefined);
    if (!passphrase) throw new UserError('Set BRAMBLE_WIFI_PASSPHRASE (or run in a terminal to be asked) for the Wi-Fi passphrase.');
    wifi = { ssid, psk: wifiPsk(ssid, passphrase), hidden: values['wifi-hidden'] === true, country };
  }
  const keys = ((values['ssh-key'] as string[] | undefined) ?? []).map((file) => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new UserError(`Bramble cannot read the SSH key ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  });
  const parsed = BootSettingsSchema.safeParse({
    hostnamePattern: (values.hostname as string | undefined) ?? 'raspberrypi',
    user: { name: user, passwordHash: password ? hashPassword(password) : undefined, passwordLogin: values['no-password-login'] !== true },
    sshKeys: keys,
    wifi,
    country: (values['wifi-country'] as string | undefined) ?? undefined,
    timezone: values.timezone,
    keyboard: values.keyboard,
    locale: values.locale,
    format: values.format !== undefined ? BootFormatSchema.parse(values.format) : 'auto',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`The ${issue.path.join(' ') || 'first-boot settings'} option is not right: ${issue.message}.`);
  }
  const problems = checkBootSettings(parsed.data);
  if (problems.length) throw new UserError(problems.join(' '));
  return parsed.data;
}

async function askSecret(prompt: string): Promise<string> {
  // Echo off: nothing typed reaches the terminal.
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  const answer = await rl.question('');
  rl.close();
  process.stderr.write('\n');
  return answer;
}
