// SSH public keys the user can put on cards: their own (~/.ssh/*.pub), or a
// cluster key pair Bramble makes once and keeps in its data folder (0600), so
// every node can be reached with one key that is not the user's personal one.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SshPublicKeySchema } from '../../../shared/boot-settings';
import { generateEd25519 } from '../ssh/ed25519';

export interface FoundKey {
  file: string;
  key: string;
}

export function userPublicKeys(home = os.homedir()): FoundKey[] {
  const dir = path.join(home, '.ssh');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pub'))
    .flatMap((f) => {
      const key = readFileSync(path.join(dir, f), 'utf8').trim();
      return SshPublicKeySchema.safeParse(key).success ? [{ file: path.join(dir, f), key }] : [];
    });
}

/** The cluster key's public half, made on first use. */
export function clusterKey(dataDir: string): FoundKey {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, 'cluster_ed25519');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pair = generateEd25519('bramble-cluster');
    // The private half lands last: its presence is what says the pair is complete,
    // so a crash part-way leaves no pair rather than half of one.
    writeFileSync(`${file}.tmp`, pair.privateKey, { mode: 0o600 });
    writeFileSync(`${file}.pub.tmp`, `${pair.publicKey} bramble-cluster\n`, { mode: 0o644 });
    renameSync(`${file}.pub.tmp`, `${file}.pub`);
    renameSync(`${file}.tmp`, file);
  }
  return { file: `${file}.pub`, key: readFileSync(`${file}.pub`, 'utf8').trim() };
}
