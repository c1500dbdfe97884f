// Host keys Bramble makes must be accepted by OpenSSH every time: ssh2's own
// generator writes a broken key about once in 256 (a dropped leading zero byte),
// so this checks many keys with ssh-keygen itself.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, generateEd25519 } from '../../electron/services/ssh/ed25519';

describe('ed25519 host keys', () => {
  it('are accepted by ssh-keygen and fingerprinted as OpenSSH does, 600 times over', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-keys-'));
    try {
      for (let i = 0; i < 600; i++) {
        const key = generateEd25519(`root@node-${i}`);
        const file = path.join(dir, 'k');
        writeFileSync(file, key.privateKey, { mode: 0o600 });
        const derived = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
        expect(derived.split(' ').slice(0, 2).join(' ')).toBe(key.publicKey);
        if (i % 100 === 0) {
          const fp = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' }).split(' ')[1];
          expect(fingerprint(key.publicKey)).toBe(fp);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
