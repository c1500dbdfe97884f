// Turns secrets into what Raspberry Pi OS needs and nothing more, at once: a
// SHA-512 crypt(3) hash of the password and the PBKDF2 PSK of the Wi-Fi
// passphrase. The plain values are never stored or logged.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { encrypt } from 'unixcrypt';
import { UserError } from '../user-error';

const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function hashPassword(password: string, salt = randomSalt()): string {
  if (password.length === 0) throw new UserError('The password cannot be empty.');
  if (/[\n\r\0]/.test(password)) throw new UserError('The password cannot contain line breaks or NUL.');
  return encrypt(password, `$6$${salt}`);
}

function randomSalt(): string {
  return [...randomBytes(16)].map((b) => SALT_CHARS[b % 64]).join('');
}

/** hex(PBKDF2-HMAC-SHA1(passphrase, SSID, 4096, 32)), as wpa_passphrase computes it. */
export function wifiPsk(ssid: string, passphrase: string): string {
  if (/^[0-9a-fA-F]{64}$/.test(passphrase)) return passphrase.toLowerCase();
  const length = [...passphrase].length;
  if (length < 8 || length > 63) throw new UserError('A Wi-Fi passphrase has 8 to 63 characters (or is a 64-digit hex key).');
  if (/[^\x20-\x7e]/.test(passphrase)) throw new UserError('A Wi-Fi passphrase uses printable ASCII characters only (IEEE 802.11i).');
  return pbkdf2Sync(passphrase, Buffer.from(ssid, 'utf8'), 4096, 32, 'sha1').toString('hex');
}
