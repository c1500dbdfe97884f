// Hostile and oversized first-boot values are refused with a reason a user can act on.
import { describe, expect, it } from 'vitest';
import { BootSettingsSchema, checkBootSettings } from '../../shared/boot-settings';

const valid = {
  hostnamePattern: 'node-{nn}',
  user: { name: 'pi', passwordHash: '$6$salt$hash', passwordLogin: true },
  sshKeys: [],
};

function problem(patch: Record<string, unknown>): string | undefined {
  const r = BootSettingsSchema.safeParse({ ...valid, ...patch });
  return r.success ? undefined : r.error.issues[0]!.message;
}

describe('first-boot settings', () => {
  it('accepts an ordinary batch', () => {
    expect(problem({})).toBeUndefined();
  });
  it('refuses hostile or oversized user names', () => {
    expect(problem({ user: { name: 'x'.repeat(200), passwordLogin: true } })).toBe('a user name is at most 32 characters');
    expect(problem({ user: { name: 'ann$(reboot)', passwordLogin: true } })).toMatch(/starts with a lower-case letter/);
    expect(problem({ user: { name: 'root', passwordLogin: true } })).toBe('the first user cannot be root');
    expect(problem({ user: { name: 'Ann', passwordLogin: true } })).toMatch(/lower-case/);
  });
  it('refuses SSIDs over 32 bytes or with line breaks, counting bytes not characters', () => {
    const wifi = (ssid: string) => ({ wifi: { ssid, psk: 'a'.repeat(64), country: 'GB' } });
    expect(problem(wifi('x'.repeat(200)))).toBe('a network name is at most 32 bytes');
    expect(problem(wifi('☃'.repeat(11)))).toBe('a network name is at most 32 bytes');
    expect(problem(wifi('☃'.repeat(10)))).toBeUndefined();
    expect(problem(wifi('a\nnetwork={'))).toBe('a network name cannot contain line breaks or NUL');
  });
  it('refuses keys with shell characters in their comment, odd time zones and countries', () => {
    expect(problem({ sshKeys: ["ssh-ed25519 AAAAC3Nz ann'$(reboot)"] })).toMatch(/not an OpenSSH public key line/);
    expect(problem({ timezone: 'Europe/London; reboot' })).toMatch(/time zone looks like/);
    expect(problem({ wifi: { ssid: 'x', psk: 'a'.repeat(64), country: 'gb' } })).toMatch(/two capital letters/);
    expect(problem({ wifi: { ssid: 'x', psk: 'correct horse', country: 'GB' } })).toMatch(/64-digit hex PSK/);
  });
  it('needs a way to log in, and a key before password login is switched off', () => {
    const s = BootSettingsSchema.parse({ ...valid, user: { name: 'pi', passwordLogin: false } });
    expect(checkBootSettings(s)).toEqual(['Password login can only be switched off when at least one SSH key is given.', 'Give a password or an SSH key, or nobody will be able to log in.']);
  });
});
