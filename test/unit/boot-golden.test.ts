// Golden files: every file each format generates for one fixed card, compared
// byte for byte with test/golden/<format>/. A change to any generated file
// shows up here as a diff to review. Regenerate deliberately with
// BRAMBLE_UPDATE_GOLDEN=1.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CardConfig } from '../../electron/services/bootconfig/card-config';
import { bootFiles, type ConcreteFormat } from '../../electron/services/bootconfig/generate';

const GOLDEN = path.resolve('test/golden');

// Fixed values (no random salt, no fresh key) so the output is stable.
const card: CardConfig = {
  hostname: 'node-01',
  user: { name: 'pi', passwordHash: '$6$abcdefgh$KQeXafAQAaOoKTevphVU215RvJdgzyfASRasIOuh12hO8u0r1bGW92ZnTmC9IjsiQ8VPiTXBiZF49dFL1U4wX/', passwordLogin: false },
  sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc ann@laptop'],
  wifi: { ssid: "Ann's \"Lab\" $(x)", psk: '2e1b1b5b6d5e44f7a3f0f2d1c8b9a7e6d5c4b3a2918070605040302010f0e0d0', hidden: false, country: 'GB' },
  timezone: 'Europe/London',
  keyboard: 'gb',
  locale: 'en_GB.UTF-8',
  extraCommands: 'apt-get install -y htop',
  hostKey: {
    privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACB6N7lWT3c2M/JhZiPSfMdMVvLF1tUG+y6jtGiZENGm3AAAAJi0d2MwtHdj\nMAAAAAtzc2gtZWQyNTUxOQAAACB6N7lWT3c2M/JhZiPSfMdMVvLF1tUG+y6jtGiZENGm3A\nAAAEDfixedtestkeyfixedtestkeyfixedtestkeyfixedtestkeyfixedtestkeyfixedt\n-----END OPENSSH PRIVATE KEY-----\n',
    publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc',
  },
};

describe('generated boot files match the golden copies', () => {
  for (const format of ['legacy', 'firstrun', 'cloud-init'] as ConcreteFormat[]) {
    it(format, () => {
      const out = bootFiles(format, card);
      const dir = path.join(GOLDEN, format);
      const files = [...out.files, { name: 'cmdline-tokens.txt', content: `${out.cmdline.join(' ')}\n` }];
      if (process.env.BRAMBLE_UPDATE_GOLDEN) {
        mkdirSync(dir, { recursive: true });
        for (const f of files) writeFileSync(path.join(dir, f.name), f.content);
      }
      for (const f of files) {
        const golden = path.join(dir, f.name);
        expect(existsSync(golden), `${golden} is missing; run with BRAMBLE_UPDATE_GOLDEN=1 once and review it`).toBe(true);
        expect(f.content, f.name).toBe(readFileSync(golden, 'utf8'));
      }
    });
  }
});
