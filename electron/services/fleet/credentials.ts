// Credentials for a node's connection, by the inventory's auth kind. Key
// passphrases live only in memory for the session; passwords (opt-in) only in
// a SecretStore the desktop shell backs with the OS keychain (safeStorage).
import { readFileSync } from 'node:fs';
import type { ConnectConfig } from 'ssh2';
import { ssh2 } from '../ssh/ssh2';
import type { FleetNode } from '../../../shared/fleet';
import { UserError } from '../user-error';
import { CredentialsNeeded } from './node-connection';

export interface SecretStore {
  /** False where there is no OS keychain (the CLI, the dev bridge): passwords cannot be kept. */
  available(): boolean;
  get(key: string): string | undefined;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export const passwordKey = (node: string) => `ssh-password:${node}`;

export class Credentials {
  private readonly passphrases = new Map<string, string>();

  constructor(
    private readonly secrets?: SecretStore,
    private readonly agentSocket: string | undefined = process.env.SSH_AUTH_SOCK,
  ) {}

  /** Checks the passphrase against the key file, then keeps it in memory for this session. */
  unlockKey(file: string, passphrase: string): void {
    const parsed = ssh2().utils.parseKey(readKey(file), passphrase);
    if (parsed instanceof Error) throw new UserError(`That passphrase does not open ${file}.`);
    this.passphrases.set(file, passphrase);
  }

  async savePassword(node: string, password: string): Promise<void> {
    if (!this.secrets?.available()) throw new UserError('Passwords can only be kept by the desktop app, encrypted with the system keychain. Use a key instead.');
    await this.secrets.set(passwordKey(node), password);
  }

  async forNode(node: Pick<FleetNode, 'name' | 'auth'>): Promise<Partial<ConnectConfig>> {
    const auth = node.auth;
    switch (auth.kind) {
      case 'agent':
        if (!this.agentSocket) throw new CredentialsNeeded('no ssh-agent is running (SSH_AUTH_SOCK is not set); choose a key file for this node');
        return { agent: this.agentSocket };
      case 'key': {
        const privateKey = readKey(auth.path);
        const plain = ssh2().utils.parseKey(privateKey);
        if (!(plain instanceof Error)) return { privateKey };
        const passphrase = this.passphrases.get(auth.path);
        if (passphrase === undefined) {
          if (/encrypted|passphrase/i.test(plain.message)) throw new CredentialsNeeded(`the key ${auth.path} is protected by a passphrase; unlock it to connect`);
          throw new CredentialsNeeded(`${auth.path} is not a private key Bramble can read (${plain.message})`);
        }
        return { privateKey, passphrase };
      }
      case 'password': {
        const password = this.secrets?.available() ? this.secrets.get(passwordKey(node.name)) : undefined;
        if (password === undefined) throw new CredentialsNeeded('no password is saved for this node; enter it, or switch to a key');
        return { password };
      }
    }
  }
}

function readKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CredentialsNeeded(`cannot read the key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
