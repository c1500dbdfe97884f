// One persistent SSH connection to one node: connect, verify the host key,
// keep it alive, notice when it drops, and come back by itself. Commands run as
// exec channels multiplexed over the one connection.
//
// Failure shapes handled (FACTS.md): a killed node closes within milliseconds
// and its exec streams close without `exit`; a frozen node is noticed by
// keepalive (1 s x 3); ssh2 can emit a late second `error` after a handshake
// timeout, so every client keeps an error listener for its whole life.
import { EventEmitter } from 'node:events';
import type { Client, ClientChannel, ConnectConfig, PseudoTtyOptions } from 'ssh2';
import { ssh2 } from '../ssh/ssh2';
import type { NodeStatus } from '../../../shared/fleet';
import { ExecError, execOnClient, type ExecOptions, type ExecResult, type RemoteExec } from '../ssh/remote-exec';
import { presentedKey, type HostKeyVerdict, type PresentedKey } from './known-hosts';

type SshClient = Client;

export interface ConnectionTarget {
  name: string;
  host: string;
  port: number;
  user: string;
}

/** What the connection needs from the rest of the fleet, injected so tests and the CLI can differ. */
export interface ConnectionDeps {
  /** Credentials for ssh2 (privateKey/passphrase, agent, or password). Throwing a CredentialsNeeded stops retries. */
  credentials(target: ConnectionTarget): Promise<Partial<ConnectConfig>>;
  /** Host key verdict for the key the node presented. */
  checkHostKey(target: ConnectionTarget, key: PresentedKey): HostKeyVerdict;
  /** Called for an unknown key when the user chose accept-new; true to trust it now. */
  acceptNew?(target: ConnectionTarget, key: PresentedKey): Promise<boolean>;
}

export interface ConnectionTiming {
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  readyTimeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * Keepalive 1 s x 3 notices a frozen node in about 4 s. The backoff cap is
 * short because a Pi that comes back should turn green within seconds, and a
 * refused TCP connection on a LAN costs next to nothing.
 */
export const DEFAULT_TIMING: ConnectionTiming = {
  keepaliveIntervalMs: 1000,
  keepaliveCountMax: 3,
  readyTimeoutMs: 8000,
  backoffBaseMs: 250,
  backoffMaxMs: 2000,
};

/** Credentials cannot be produced without the user (a key passphrase, a password). */
export class CredentialsNeeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsNeeded';
  }
}

export interface StatusChange {
  status: NodeStatus;
  detail?: string;
  presented?: PresentedKey;
}

/** Statuses the connection stays in until someone acts (new key trusted, credentials fixed). */
const WAITS_FOR_USER: ReadonlySet<NodeStatus> = new Set(['auth-failed', 'host-key-unknown', 'host-key-mismatch']);

export class NodeConnection extends EventEmitter implements RemoteExec {
  status: NodeStatus = 'connecting';
  detail: string | undefined;
  since = Date.now();
  presented: PresentedKey | undefined;
  private client: SshClient | undefined;
  private ready = false;
  private running = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly channels = new Set<ClientChannel>();

  constructor(
    public target: ConnectionTarget,
    private readonly deps: ConnectionDeps,
    private readonly timing: ConnectionTiming = DEFAULT_TIMING,
  ) {
    super();
  }

  get online(): boolean {
    return this.ready;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.teardown();
  }

  /** Drops any wait (for the user, or a backoff) and connects now: after trusting a key, new credentials, an edit. */
  reconnectNow(target?: ConnectionTarget): void {
    if (target) this.target = target;
    clearTimeout(this.retryTimer);
    this.teardown();
    this.attempt = 0;
    if (!this.running) return;
    this.connect();
  }

  exec(command: string, opts?: ExecOptions): Promise<ExecResult> {
    if (!this.ready || !this.client) return Promise.reject(new ExecError('offline', `${this.target.name} is ${this.status}`));
    return execOnClient(this.client, command, opts);
  }

  /** An interactive login shell with a pty, for the terminal. */
  shell(window: PseudoTtyOptions): Promise<ClientChannel> {
    const client = this.client;
    if (!this.ready || !client) return Promise.reject(new ExecError('offline', `${this.target.name} is ${this.status}`));
    return new Promise((resolve, reject) => {
      client.shell({ term: 'xterm-256color', ...window }, (err, channel) => {
        if (err) return reject(new ExecError('lost', `could not open a shell: ${err.message}`));
        this.channels.add(channel);
        channel.on('close', () => this.channels.delete(channel));
        resolve(channel);
      });
    });
  }

  private setStatus(change: StatusChange): void {
    if (change.status === this.status && change.detail === this.detail) return;
    this.status = change.status;
    this.detail = change.detail;
    this.presented = change.presented;
    this.since = Date.now();
    this.emit('status', change);
  }

  private async connect(): Promise<void> {
    const target = this.target;
    // Retries of an offline node stay "offline" (no flicker); a first or user-asked attempt shows "connecting".
    if (this.status !== 'offline') this.setStatus({ status: 'connecting' });
    let credentials: Partial<ConnectConfig>;
    try {
      credentials = await this.deps.credentials(target);
    } catch (e) {
      if (!this.running || target !== this.target) return;
      return this.setStatus({ status: 'auth-failed', detail: (e as Error).message });
    }
    if (!this.running || target !== this.target) return;

    const client = new (ssh2().Client)();
    this.client = client;
    // Why the connection ended, decided by whichever event knows first.
    let verdict: StatusChange | undefined;
    client.on('error', (err: Error & { level?: string }) => {
      if (client !== this.client) return;
      if (verdict) return;
      if (err.level === 'client-authentication') verdict = { status: 'auth-failed', detail: `${target.user}@${target.host} refused every key or password Bramble offered` };
      else verdict = { status: 'offline', detail: describe(err) };
    });
    client.on('ready', () => {
      if (client !== this.client) return;
      this.ready = true;
      this.attempt = 0;
      this.setStatus({ status: 'online', detail: undefined });
    });
    client.on('close', () => {
      if (client !== this.client) return;
      const wasReady = this.ready;
      this.ready = false;
      this.client = undefined;
      const outcome = verdict ?? { status: 'offline' as const, detail: wasReady ? 'the connection closed' : 'the node closed the connection during login' };
      this.setStatus(outcome);
      this.scheduleRetry(outcome.status);
    });

    client.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: this.timing.readyTimeoutMs,
      keepaliveInterval: this.timing.keepaliveIntervalMs,
      keepaliveCountMax: this.timing.keepaliveCountMax,
      ...credentials,
      hostVerifier: (blob: Buffer, accept: (ok: boolean) => void) => {
        const key = presentedKey(blob);
        const result = this.deps.checkHostKey(target, key);
        if (result === 'verified') return accept(true);
        if (result === 'mismatch') {
          verdict = { status: 'host-key-mismatch', detail: `the host key changed (now ${key.fingerprint}); if this node was reflashed, trust the new key`, presented: key };
          return accept(false);
        }
        if (!this.deps.acceptNew) {
          verdict = { status: 'host-key-unknown', detail: `first contact: the node presents ${key.fingerprint}`, presented: key };
          return accept(false);
        }
        this.deps.acceptNew(target, key).then(
          (ok) => {
            if (!ok) verdict = { status: 'host-key-unknown', detail: `first contact: the node presents ${key.fingerprint}`, presented: key };
            accept(ok);
          },
          () => accept(false),
        );
      },
    } as ConnectConfig);
  }

  private scheduleRetry(status: NodeStatus): void {
    if (!this.running || WAITS_FOR_USER.has(status)) return;
    const { backoffBaseMs, backoffMaxMs } = this.timing;
    const delay = Math.min(backoffMaxMs, backoffBaseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 16);
    // ±20 % jitter so a whole rack that lost power does not reconnect in lockstep.
    const jittered = delay * (0.8 + Math.random() * 0.4);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), jittered);
  }

  private teardown(): void {
    const client = this.client;
    this.client = undefined;
    this.ready = false;
    for (const ch of this.channels) ch.close();
    this.channels.clear();
    if (client) {
      client.on('error', () => {});
      client.destroy();
    }
  }
}

function describe(err: Error & { code?: string; level?: string }): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'nothing answers on the SSH port (booting, or sshd is off)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the address is unreachable from this computer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
      return 'no answer (powered off, or not on this network)';
    case 'ECONNRESET':
      return 'the connection was reset';
  }
  if (/keepalive/i.test(err.message)) return 'stopped answering (keepalive timed out)';
  if (/timed out while waiting for handshake/i.test(err.message)) return 'no answer to the SSH handshake';
  return err.message;
}
