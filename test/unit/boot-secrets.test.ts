// Secrets turned into what Pi OS reads, checked against the real tools: the
// PSK against wpa_passphrase, the password hash against openssl and mkpasswd.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hashPassword, wifiPsk } from '../../electron/services/bootconfig/secrets';
import { checkHostnames, expandHostnames } from '../../electron/services/bootconfig/hostnames';

describe('Wi-Fi PSK', () => {
  for (const [ssid, pass] of [
    ['HomeNet', 'correct horse battery'],
    ["it's \"quoted\" $(reboot)", 'p@ss`id`word!'],
    ['Café ☕ 5G', '12345678'],
    ['x'.repeat(32), 'y'.repeat(63)],
  ]) {
    it(`matches wpa_passphrase for ${JSON.stringify(ssid)}`, () => {
      const out = execFileSync('wpa_passphrase', [ssid!, pass!], { encoding: 'utf8' });
      const expected = /^\s*psk=([0-9a-f]{64})$/m.exec(out)![1];
      expect(wifiPsk(ssid!, pass!)).toBe(expected);
    });
  }
  it('refuses passphrases wpa_passphrase refuses, and keeps a hex PSK as it is', () => {
    expect(() => wifiPsk('n', 'short')).toThrow('A Wi-Fi passphrase has 8 to 63 characters');
    expect(() => wifiPsk('n', 'z'.repeat(64))).toThrow(/8 to 63/);
    expect(wifiPsk('n', 'AB'.repeat(32))).toBe('ab'.repeat(32));
  });
});

describe('password hash', () => {
  for (const pw of ['raspberry', "it's $(reboot) `id`", 'pässwörd ☃', 'a'.repeat(200)]) {
    it(`is SHA-512 crypt, equal to openssl and mkpasswd for ${JSON.stringify(pw.slice(0, 20))}`, () => {
      const salt = 'Br4mbleSalt';
      const ours = hashPassword(pw, salt);
      expect(ours).toMatch(/^\$6\$Br4mbleSalt\$/);
      expect(ours).toBe(execFileSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: pw, encoding: 'utf8' }).trim());
      expect(ours).toBe(execFileSync('mkpasswd', ['-m', 'sha-512', '-S', salt, '-s'], { input: pw, encoding: 'utf8' }).trim());
    });
  }
  it('salts each hash differently and refuses line breaks', () => {
    expect(hashPassword('x')).not.toBe(hashPassword('x'));
    expect(() => hashPassword('a\nb')).toThrow('line breaks');
  });
});

describe('hostname patterns', () => {
  it('numbers a batch with padding', () => {
    expect(expandHostnames('node-{nn}', 3)).toEqual(['node-01', 'node-02', 'node-03']);
    expect(expandHostnames('pi{n}', 2, 9)).toEqual(['pi9', 'pi10']);
    expect(expandHostnames('rack-a-{nnn}', 1)).toEqual(['rack-a-001']);
  });
  it('refuses invalid, hostile and duplicate names with the reason', () => {
    expect(() => checkHostnames(['node-01', 'node-01'])).toThrow('The hostname node-01 is used twice');
    expect(() => checkHostnames(['node-01'], ['NODE-01'])).toThrow(/used twice/);
    expect(() => checkHostnames(['$(reboot)'])).toThrow('"$(reboot)" is not a usable hostname: a hostname uses only letters, digits and hyphens');
    expect(() => checkHostnames(['-bad'])).toThrow(/does not start or end with a hyphen/);
    expect(() => checkHostnames(['a'.repeat(200)])).toThrow(/at most 63 characters/);
    expect(() => checkHostnames(['nöde'])).toThrow(/only letters, digits and hyphens/);
  });
});
