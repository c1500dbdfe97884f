// Node passwords the user chose to keep, encrypted with the OS keychain through
// Electron's safeStorage and stored only as ciphertext in the data folder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { writeFileAtomic } from './services/storage/write-atomic';
import type { SecretStore } from './services/fleet/credentials';

export class SafeStorageSecrets implements SecretStore {
  private readonly file: string;
  private values: Record<string, string>;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'secrets.json');
    try {
      this.values = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
    } catch {
      // Unreadable ciphertext is worth nothing; the user is asked for the password again.
      this.values = {};
    }
  }

  available(): boolean {
    return safeStorage.isEncryptionAvailable();
  }

  get(key: string): string | undefined {
    const b64 = this.values[key];
    if (!b64 || !this.available()) return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(b64, 'base64'));
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string): Promise<void> {
    this.values[key] = safeStorage.encryptString(value).toString('base64');
    await writeFileAtomic(this.file, JSON.stringify(this.values), { mode: 0o600 });
  }

  async delete(key: string): Promise<void> {
    delete this.values[key];
    await writeFileAtomic(this.file, JSON.stringify(this.values), { mode: 0o600 });
  }
}
