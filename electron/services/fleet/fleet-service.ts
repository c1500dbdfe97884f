// The live fleet: one NodeConnection per inventory node, kept in step with the
// inventory, each node's state (status, vitals) pushed as it changes, and the
// actions that need a connection (run, reboot, trust a reflashed node's key).
import { EventEmitter } from 'node:events';
import type { FleetNode, NodeState } from '../../../shared/fleet';
import type { NodeTelemetry } from '../../../shared/telemetry';
import { commandLine, ExecError, type RemoteExec } from '../ssh/remote-exec';
import { UserError } from '../user-error';
import type { Credentials } from './credentials';
import { knownHostsName, type KnownHosts, type PresentedKey } from './known-hosts';
import { DEFAULT_TIMING, NodeConnection, type ConnectionTarget, type ConnectionTiming } from './node-connection';
import { probeTelemetry } from '../power/telemetry-probe';
import type { PendingNodes } from './pending-nodes';
import { runOnNodes, type NodeRunResult, type RunOnNodesOptions } from './run-on-nodes';

/** What the fleet needs of the inventory store. */
export interface InventorySource {
  list(): FleetNode[];
  get(name: string): FleetNode | undefined;
  onChange(listener: () => void): () => void;
}

export interface FleetServiceOptions {
  inventory: InventorySource;
  knownHosts: KnownHosts;
  credentials: Credentials;
  pending?: PendingNodes;
  /** Trust an unknown host key on first contact (OpenSSH's accept-new); a changed key is still refused. */
  acceptNew?: boolean;
  timing?: ConnectionTiming;
  /** How often an online node's tile numbers are refreshed; 0 turns it off. */
  vitalsIntervalMs?: number;
  /** Records a node's MAC address, learned over SSH when it comes online (for DHCP lease export). */
  learnMac?: (name: string, mac: string) => Promise<void>;
}


/** Names a node is known by in known_hosts: its inventory name, and its address as OpenSSH would write it. */
export function hostKeyNames(node: ConnectionTarget): string[] {
  return [...new Set([node.name, `${node.name}.local`, knownHostsName(node.host, node.port)])];
}

export class FleetService extends EventEmitter {
  private readonly connections = new Map<string, NodeConnection>();
  private readonly vitals = new Map<string, NodeState['vitals']>();
  private readonly notes = new Map<string, { detail: string; until?: number }>();
  private readonly rebooting = new Map<string, { at: number; back: () => void; cancel: () => void }>();
  private vitalsTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private started = false;
  /** What discovery last found for a flashed node not seen yet. */
  pendingNote: ((name: string) => string | undefined) | undefined;

  constructor(private readonly o: FleetServiceOptions) {
    super();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.o.inventory.onChange(() => this.sync());
    this.sync();
    const every = this.o.vitalsIntervalMs ?? 5000;
    if (every > 0) this.vitalsTimer = setInterval(() => void this.refreshVitals(), every);
  }

  stop(): void {
    this.started = false;
    this.unsubscribe?.();
    clearInterval(this.vitalsTimer);
    for (const c of this.connections.values()) c.stop();
    this.connections.clear();
  }

  /** Every node's state: inventory nodes first, then flashed nodes not seen yet. */
  states(): NodeState[] {
    const live = this.o.inventory.list().map((n) => this.stateOf(n.name)!);
    const known = new Set(live.map((s) => s.name));
    const pending = (this.o.pending?.list() ?? [])
      .filter((p) => !known.has(p.name))
      .map((p) => this.pendingState(p.name, p.writtenAt));
    return [...live, ...pending];
  }

  private pendingState(name: string, writtenAt: string): NodeState {
    const note = this.pendingNote?.(name);
    return { name, status: 'pending', detail: note ?? `flashed ${writtenAt.slice(0, 10)}; waiting for it to boot and answer as ${name}.local`, since: Date.parse(writtenAt) || 0 };
  }

  /** Pushes a pending node's state again (discovery learned something about it). */
  emitPending(name: string): void {
    const p = this.o.pending?.list().find((n) => n.name === name);
    if (p && !this.o.inventory.get(name)) this.emit('state', this.pendingState(p.name, p.writtenAt));
  }

  stateOf(name: string): NodeState | undefined {
    const c = this.connections.get(name);
    const node = this.o.inventory.get(name);
    if (!c || !node) return undefined;
    const reboot = this.rebooting.get(name);
    const note = this.notes.get(name);
    const detail =
      reboot && c.status !== 'online'
        ? `rebooting: waiting for it to come back (since ${new Date(reboot.at).toLocaleTimeString('en-GB')})`
        : c.status === 'online' && note && (!note.until || note.until > Date.now())
          ? note.detail
          : c.detail;
    return {
      name,
      status: c.status,
      detail,
      address: node.port === 22 ? node.host : `${node.host}:${node.port}`,
      since: c.since,
      activity: reboot && c.status !== 'online' ? 'rebooting' : undefined,
      presentedFingerprint: c.presented?.fingerprint,
      vitals: c.status === 'online' ? this.vitals.get(name) : undefined,
    };
  }

  /** Tile numbers from the power monitor's samples (the app polls once, for both). */
  setVitals(name: string, t: NodeTelemetry): void {
    if (!this.connections.has(name)) return;
    this.vitals.set(name, {
      uptimeSeconds: t.uptimeSeconds ?? 0,
      load1: t.load1 ?? 0,
      memTotalKiB: t.memTotalKiB ?? 0,
      memAvailableKiB: t.memAvailableKiB ?? 0,
      tempC: t.tempC,
      throttled: t.throttled,
      at: t.at,
    });
    if (t.mac && this.o.learnMac && this.o.inventory.get(name)?.mac !== t.mac) void this.o.learnMac(name, t.mac).catch(() => undefined);
    this.emitState(name);
  }

  /** A node's connection as a RemoteExec (commands fail with 'offline' while it is down). */
  execFor(name: string): RemoteExec {
    const c = this.connections.get(name);
    if (!c) throw new UserError(`There is no node called ${name} in the fleet.`);
    return c;
  }

  connection(name: string): NodeConnection | undefined {
    return this.connections.get(name);
  }

  /** Resolves when every named node is online or has settled in a state that needs the user, or at the timeout. */
  async settled(names = [...this.connections.keys()], timeoutMs = 15_000): Promise<NodeState[]> {
    const done = () => names.every((n) => this.connections.get(n)?.status !== 'connecting');
    const deadline = Date.now() + timeoutMs;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return names.map((n) => this.stateOf(n)!).filter(Boolean);
  }

  /** Records the key the node presented as its own ("this node was reflashed") and connects again. */
  async trust(name: string, fingerprint?: string): Promise<NodeState> {
    const c = this.connections.get(name);
    if (!c) throw new UserError(`There is no node called ${name} in the fleet.`);
    const presented: PresentedKey | undefined = c.presented;
    if (!presented) throw new UserError(`${name} has not presented a new host key: there is nothing to trust.`);
    // The user saw a fingerprint; trust exactly that key, not whatever answers next.
    if (fingerprint && fingerprint !== presented.fingerprint) throw new UserError(`${name} now presents ${presented.fingerprint}, not the key you confirmed; look again.`);
    await this.o.knownHosts.set(hostKeyNames(c.target), presented.line);
    c.reconnectNow();
    return this.stateOf(name)!;
  }

  /** Connect again now (after new credentials, or to skip the backoff). */
  reconnect(name: string): void {
    this.connections.get(name)?.reconnectNow();
  }

  async run(o: Omit<RunOnNodesOptions, 'targets'> & { nodes: string[] }): Promise<NodeRunResult[]> {
    const targets = o.nodes.map((name) => ({ name, exec: this.execFor(name) }));
    return runOnNodes({ ...o, targets });
  }

  /** Reboots a node and resolves once it is back online (or rejects at the timeout). */
  async reboot(name: string, timeoutMs = 180_000): Promise<void> {
    await (await this.startReboot(name, timeoutMs)).back;
  }

  /** Sends the reboot; resolves once the node accepted it, with `back` settling when it returns. */
  async startReboot(name: string, timeoutMs = 180_000): Promise<{ back: Promise<void> }> {
    const exec = this.execFor(name);
    const back = this.markRebooting(name, timeoutMs);
    back.catch(() => undefined); // observed by the caller through `back`
    try {
      await this.powerCommand(name, exec, ['sudo', '-n', 'reboot']);
    } catch (e) {
      this.rebooting.get(name)?.cancel();
      throw e;
    }
    this.emitState(name);
    return { back };
  }

  async shutdown(name: string): Promise<void> {
    await this.powerCommand(name, this.execFor(name), ['sudo', '-n', 'shutdown', '-h', 'now']);
    this.notes.set(name, { detail: 'shut down from Bramble' });
  }

  private async powerCommand(name: string, exec: RemoteExec, argv: string[]): Promise<void> {
    try {
      const r = await exec.exec(commandLine(argv), { timeoutMs: 15_000 });
      if (r.code !== 0) throw new UserError(`${name} refused: ${(r.stderr.trim() || `exit status ${r.code}`).split('\n')[0]}${/password/i.test(r.stderr) ? ' (sudo needs a password on this node)' : ''}`);
    } catch (e) {
      // The connection dropping while the command runs is the reboot happening.
      if (e instanceof ExecError && e.kind === 'lost') return;
      throw e;
    }
  }

  private markRebooting(name: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.rebooting.delete(name);
        this.emitState(name);
        reject(new UserError(`${name} did not come back within ${Math.round(timeoutMs / 1000)} s of the reboot.`));
      }, timeoutMs);
      this.rebooting.set(name, {
        at: Date.now(),
        back: () => {
          clearTimeout(timer);
          resolve();
        },
        cancel: () => {
          clearTimeout(timer);
          this.rebooting.delete(name);
          resolve();
        },
      });
    });
  }

  private sync(): void {
    if (!this.started) return;
    const nodes = new Map(this.o.inventory.list().map((n) => [n.name, n]));
    for (const [name, c] of this.connections) {
      if (!nodes.has(name)) {
        c.stop();
        this.connections.delete(name);
        this.vitals.delete(name);
        this.emit('removed', name);
      }
    }
    for (const node of nodes.values()) {
      const target: ConnectionTarget = { name: node.name, host: node.host, port: node.port, user: node.user };
      const existing = this.connections.get(node.name);
      if (existing) {
        const t = existing.target;
        if (t.host !== target.host || t.port !== target.port || t.user !== target.user) existing.reconnectNow(target);
        continue;
      }
      const c = new NodeConnection(
        target,
        {
          credentials: () => this.o.credentials.forNode(this.o.inventory.get(node.name) ?? node),
          checkHostKey: (t, key) => this.o.knownHosts.check(hostKeyNames(t), key),
          acceptNew: this.o.acceptNew
            ? async (t, key) => {
                await this.o.knownHosts.set(hostKeyNames(t), key.line);
                return true;
              }
            : undefined,
        },
        this.o.timing ?? DEFAULT_TIMING,
      );
      c.on('status', () => this.onStatus(node.name));
      this.connections.set(node.name, c);
      c.start();
    }
  }

  private onStatus(name: string): void {
    const c = this.connections.get(name);
    if (c?.status === 'online') {
      const reboot = this.rebooting.get(name);
      if (reboot) {
        this.rebooting.delete(name);
        this.notes.set(name, { detail: `back after the reboot (${Math.round((Date.now() - reboot.at) / 1000)} s)`, until: Date.now() + 60_000 });
        reboot.back();
      } else this.notes.delete(name);
      void this.refreshOne(name);
    }
    this.emitState(name);
  }

  private emitState(name: string): void {
    const s = this.stateOf(name);
    if (s) this.emit('state', s);
  }

  private async refreshOne(name: string): Promise<void> {
    const c = this.connections.get(name);
    if (!c?.online) return;
    try {
      // The same one-round-trip probe the power monitor uses; it also reports the MAC.
      this.setVitals(name, await probeTelemetry(c, { timeoutMs: 5000 }));
    } catch {
      // A node that fails its probe is reported by its connection, not here.
    }
  }

  async refreshVitals(names = [...this.connections.keys()]): Promise<void> {
    await Promise.all(names.map((n) => this.refreshOne(n)));
  }
}
