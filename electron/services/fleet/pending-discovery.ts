// Finds the boards Bramble flashed once they boot: each pending node is looked
// up as NAME.local over mDNS (and at any address the user adds), and joins the
// fleet only when the host key Bramble put on its card answers, so a stranger
// who took the name on the network is never adopted.
import { existsSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import type { ConnectConfig } from 'ssh2';
import type { FleetNode, FleetNodeInput, NodeAuth } from '../../../shared/fleet';
import type { Credentials } from './credentials';
import type { InventorySource } from './fleet-service';
import type { KnownHosts } from './known-hosts';
import type { HostResolver } from './mdns-resolver';
import { DEFAULT_TIMING, NodeConnection, type ConnectionTiming, type StatusChange } from './node-connection';
import type { PendingNode, PendingNodes } from './pending-nodes';

export interface DiscoveryOptions {
  pending: PendingNodes;
  inventory: InventorySource & { add(node: FleetNodeInput): Promise<FleetNode> };
  knownHosts: KnownHosts;
  credentials: Credentials;
  resolver: HostResolver;
  /** Bramble's cluster key (private half): tried first, since Bramble offers it on every card. */
  clusterKeyPath?: string;
  intervalMs?: number;
  timing?: ConnectionTiming;
}

export class PendingDiscovery extends EventEmitter {
  private readonly addresses = new Map<string, Set<string>>();
  private readonly notes = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<string[]> | undefined;

  constructor(private readonly o: DiscoveryOptions) {
    super();
  }

  start(): void {
    if (this.timer) return;
    const every = this.o.intervalMs ?? 10_000;
    this.timer = setInterval(() => void this.sweep(), every);
    void this.sweep();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.o.resolver.close();
  }

  /** What the last search found for a pending node, in a sentence. */
  note(name: string): string | undefined {
    return this.notes.get(name);
  }

  /** The user knows where the board is (a DHCP lease, a router page): try there too, now. */
  async addAddress(name: string, host: string): Promise<string[]> {
    if (!this.addresses.has(name)) this.addresses.set(name, new Set());
    this.addresses.get(name)!.add(host);
    return this.sweep();
  }

  /** One search for every pending node; resolves with the names that joined the fleet. */
  sweep(): Promise<string[]> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<string[]> {
    const waiting = this.o.pending.list().filter((p) => !this.o.inventory.get(p.name));
    const joined = await Promise.all(waiting.map((p) => this.search(p)));
    return joined.filter((n): n is string => Boolean(n));
  }

  private async search(p: PendingNode): Promise<string | undefined> {
    const candidates = new Set(this.addresses.get(p.name) ?? []);
    const viaMdns = await this.o.resolver.resolve(`${p.name}.local`).catch(() => undefined);
    if (viaMdns) candidates.add(viaMdns);
    if (candidates.size === 0) return this.setNote(p.name, undefined);
    for (const host of candidates) {
      for (const auth of this.authChoices()) {
        const outcome = await this.probe(p, host, auth);
        if (outcome.status === 'online') {
          await this.o.inventory.add({ name: p.name, host, port: 22, user: p.user, auth, groups: [], vars: {} });
          await this.o.pending.remove(p.name);
          this.notes.delete(p.name);
          this.emit('joined', p.name);
          return p.name;
        }
        if (outcome.status === 'host-key-mismatch' || outcome.status === 'host-key-unknown') {
          this.setNote(p.name, `${host} answers as ${p.name} but with a different host key (${outcome.presented?.fingerprint}); not adopted`);
          break;
        }
        if (outcome.status === 'auth-failed') {
          this.setNote(p.name, `found at ${host}, but it refused ${auth.kind === 'key' ? 'the cluster key' : 'the keys in your ssh-agent'}`);
          continue;
        }
        this.setNote(p.name, `${host} did not answer yet (${outcome.detail ?? outcome.status})`);
        break;
      }
    }
    return undefined;
  }

  private authChoices(): NodeAuth[] {
    const choices: NodeAuth[] = [];
    if (this.o.clusterKeyPath && existsSync(this.o.clusterKeyPath)) choices.push({ kind: 'key', path: this.o.clusterKeyPath });
    choices.push({ kind: 'agent' });
    return choices;
  }

  /** One connection attempt, with the key recorded at flashing as the only one accepted. */
  private probe(p: PendingNode, host: string, auth: NodeAuth): Promise<StatusChange> {
    const target = { name: p.name, host, port: 22, user: p.user };
    const conn = new NodeConnection(
      target,
      {
        credentials: (): Promise<Partial<ConnectConfig>> => this.o.credentials.forNode({ name: p.name, auth }),
        checkHostKey: (_t, key) => this.o.knownHosts.check([p.name, `${p.name}.local`], key),
      },
      { ...(this.o.timing ?? DEFAULT_TIMING), readyTimeoutMs: 5000 },
    );
    return new Promise((resolve) => {
      conn.on('status', (change: StatusChange) => {
        if (change.status === 'connecting') return;
        conn.stop();
        resolve(change);
      });
      conn.start();
    });
  }

  private setNote(name: string, note: string | undefined): undefined {
    if (this.notes.get(name) === note) return undefined;
    if (note === undefined) this.notes.delete(name);
    else this.notes.set(name, note);
    this.emit('note', name);
    return undefined;
  }
}
