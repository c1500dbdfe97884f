// A fake Raspberry Pi fleet on one machine: N real OpenSSH sshd "nodes" on
// loopback, for integration tests and benchmarks of Bramble's SSH side.
//
//   const fleet = await startFleet({ nodes: 8 });
//   const n = fleet.node('node-03');          // n.host = '127.0.S.3', n.port = 22, n.user
//   client.connect(n.connectConfig(fleet.clientPrivateKey));   // ssh2, host key pinned
//   await n.setThrottled(0x50005);            // `vcgencmd get_throttled` -> throttled=0x50005
//   await n.kill(); await n.restart();        // pull the plug, power on again
//   await fleet.stop();
//
// Requirements: root, Linux, openssh-server (/usr/sbin/sshd), util-linux
// (unshare, setpriv, mount, flock), /usr/bin/python3 for the fake journalctl.
//
// startFleet(opts) → Fleet
//   opts.nodes            1..250
//   opts.namePrefix       'node-' → node-01, node-02, ... (two digits; three above 99)
//   opts.rebootDelayMs    3000: how long a node stays down after `sudo reboot`
//   opts.powerDownDelayMs 250: from `sudo reboot` (or a shutdown's time) until the node goes down
//   opts.user             'bramble-pi': the unix account every node logs in as (see users.ts)
//   opts.model            'pi4' | 'pi5' | model string; only a Pi 5 has `vcgencmd pmic_read_adc`
//   opts.startTimeoutMs   20000 per node
//
// Fleet
//   nodes, node(name), slot (S in 127.0.S.K), dir (the fleet's temp directory), user
//   clientKeyPath         ed25519 private key (OpenSSH format, 0600) authorized on every node
//   clientPrivateKey, clientPublicKey
//   sshConfigPath, knownHostsPath, inventoryPath   for `ssh -F`, and ansible
//   stop()                SIGTERM then SIGKILL every node, remove the directory, free the slot
//
// FakeNode (node.ts): name, host, port (22), user, dir, hostKeyPublic, hostKeyFingerprint
//   ('SHA256:...' as OpenSSH prints it), pid (host pid of the node's sshd), running, frozen, boots
//   kill()     SIGKILL the node: its sshd and every session, like pulling the plug
//   freeze()   SIGSTOP every process of the node (clients see keepalive timeouts); resume() SIGCONT
//   restart()  power on again with the same host key and state; resolves when port 22 listens
//   stop()     a clean shutdown (SIGTERM)
//   regenerateHostKey()  "reflashed": a new host key from the next start
//   setThrottled(0x50005 | '0x50005'), setTemp(c), setVolts(v), setExt5V(v), setModel('pi5')
//   appendJournal({ message, unit?, identifier?, priority?, pid?, timestamp?, fields? })
//   appendKernel(line, { priority?, timestamp? })   in both dmesg and journalctl -k
//   setSudoPassword(pw | null), setAptDelay(ms), makeAvailable(pkg, version?)
//   recordedCommands() → argv lists from the fake sudo, apt-get, apt, dpkg, systemctl,
//                        hostnamectl, reboot, shutdown, poweroff (in call order)
//   installedPackages() → package names the fake apt considers installed
//   connectConfig(privateKey) → ssh2 connect options with hostVerifier pinned to the current key
//   processes(), waitUntilUp(ms), waitUntilDown(ms)
//   events: 'up', 'down' (reason: kill|stop|reboot|poweroff|restart|exited), 'power' (request)
//
// Fake tools on every node (test/fleet/tools, first on the session PATH): vcgencmd,
// journalctl, dmesg, hostname, hostnamectl, uname, sudo, apt-get, apt, dpkg-query,
// dpkg, systemctl, reboot, shutdown, poweroff, halt, logger, id, whoami. Under the
// fake sudo the fakes act as root (there is no real root on a node; `sudo -u X`
// runs as the same account). `sudo reboot` takes the node down and starts it again
// after rebootDelayMs (a new boot id, an empty dmesg); `sudo poweroff` leaves it
// down until restart(). State files and defaults: node-state.ts.
//
// The unix account is created once and kept for later runs (users.ts);
// `npm run fleet -- remove-user` deletes it.
//
// Isolation and cleanup: the fleet claims a slot S (slots.ts) so fleets in parallel
// processes never share addresses; all files live in one mkdtemp directory
// (jail.ts); node processes die with the harness process even on SIGKILL
// (setpriv --pdeathsig), and an 'exit' hook kills them on a normal exit.
import { accessSync, chmodSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { Jail } from './jail.js';
import { generateEd25519 } from './keys.js';
import { FakeNode } from './node.js';
import { MODELS, type ModelName } from './node-state.js';
import { pidsMentioning, signal, waitUntil } from './procs.js';
import { SSHD, sshdVersion } from './sshd-config.js';
import { claimSlot, type SlotClaim } from './slots.js';
import { writeSharedTools } from './tools.js';
import { DEFAULT_FLEET_USER, ensureFleetUser, type FleetUser } from './users.js';

export { FakeNode } from './node.js';
export type { DownReason, NodeConnectConfig } from './node.js';
export type { JournalEntry, KernelLine, ModelName } from './node-state.js';

export const MAX_NODES = 250;

export interface FleetOptions {
  nodes: number;
  namePrefix?: string;
  rebootDelayMs?: number;
  powerDownDelayMs?: number;
  user?: string;
  model?: ModelName | string;
  startTimeoutMs?: number;
}

export interface Fleet {
  readonly nodes: FakeNode[];
  readonly slot: number;
  readonly dir: string;
  readonly user: string;
  readonly clientKeyPath: string;
  readonly clientPrivateKey: string;
  readonly clientPublicKey: string;
  readonly sshConfigPath: string;
  readonly knownHostsPath: string;
  readonly inventoryPath: string;
  node(name: string): FakeNode;
  stop(): Promise<void>;
}

const REQUIRED = ['/usr/bin/setpriv', '/usr/bin/unshare', '/bin/sh', '/bin/hostname', '/bin/mount', '/usr/bin/flock', SSHD];

export function nodeName(prefix: string, k: number, total: number): string {
  return prefix + String(k).padStart(total > 99 ? 3 : 2, '0');
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const n = opts.nodes;
  if (!Number.isInteger(n) || n < 1 || n > MAX_NODES) throw new Error(`fleet: nodes must be 1..${MAX_NODES}, got ${n}`);
  const prefix = opts.namePrefix ?? 'node-';
  if (!/^[a-z][a-z0-9-]*$/.test(prefix) || prefix.length > 40) throw new Error(`fleet: bad namePrefix ${prefix}`);
  checkHost();

  const user = await ensureFleetUser(opts.user ?? DEFAULT_FLEET_USER);
  const claim = await claimSlot((s) => addressesFree(s, n));
  let jail: Jail | undefined;
  try {
    jail = Jail.create();
    claim.setFleetDir(jail.root);
    return await FleetImpl.start(jail, claim, user, opts);
  } catch (err) {
    jail?.removeAll();
    claim.release();
    throw err;
  }
}

function checkHost(): void {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) throw new Error('fleet: needs root on Linux');
  for (const p of REQUIRED) {
    try {
      accessSync(p, constants.X_OK);
    } catch {
      throw new Error(`fleet: ${p} is missing (openssh-server and util-linux are needed)`);
    }
  }
  sshdVersion();
  if (wildcardSshListener()) {
    throw new Error('fleet: something listens on 0.0.0.0:22 (the machine\'s own sshd?), so 127.0.S.K:22 cannot be bound; give it a ListenAddress or stop it');
  }
  // sshd's privilege separation directory; Debian creates it only when its own sshd starts.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const st = statSync('/run/sshd');
  if ((st.mode & 0o777) !== 0o755) chmodSync('/run/sshd', 0o755);
}

/** A LISTEN socket on 0.0.0.0:22 in /proc/net/tcp. */
function wildcardSshListener(): boolean {
  try {
    return readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .some((l) => /^\s*\d+: 00000000:0016 00000000:0000 0A /.test(l));
  } catch {
    return false;
  }
}

/** Nothing else (a leaked sshd, a developer's own server) may hold 127.0.S.1..N:22. */
async function addressesFree(slot: number, n: number): Promise<boolean> {
  const checks: Promise<boolean>[] = [];
  for (let k = 1; k <= n; k++) checks.push(canListen(`127.0.${slot}.${k}`, 22));
  return (await Promise.all(checks)).every(Boolean);
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

class FleetImpl implements Fleet {
  readonly nodes: FakeNode[] = [];
  readonly clientKeyPath: string;
  readonly clientPrivateKey: string;
  readonly clientPublicKey: string;
  readonly sshConfigPath: string;
  readonly knownHostsPath: string;
  readonly inventoryPath: string;
  private readonly byName = new Map<string, FakeNode>();
  private stopping: Promise<void> | undefined;
  private readonly exitHook = () => this.stopSync();

  private constructor(
    private readonly jail: Jail,
    private readonly claim: SlotClaim,
    private readonly account: FleetUser,
  ) {
    const key = generateEd25519('bramble-fleet-client');
    this.clientPrivateKey = key.privateKey;
    this.clientPublicKey = key.publicKey;
    this.clientKeyPath = jail.path('client_ed25519');
    this.sshConfigPath = jail.path('ssh_config');
    this.knownHostsPath = jail.path('known_hosts');
    this.inventoryPath = jail.path('inventory.ini');
    jail.writeFile(this.clientKeyPath, key.privateKey, 0o600);
    jail.writeFile(`${this.clientKeyPath}.pub`, `${key.publicKey} bramble-fleet-client\n`, 0o644);
  }

  get slot(): number {
    return this.claim.slot;
  }
  get dir(): string {
    return this.jail.root;
  }
  get user(): string {
    return this.account.name;
  }

  static async start(jail: Jail, claim: SlotClaim, user: FleetUser, opts: FleetOptions): Promise<FleetImpl> {
    const fleet = new FleetImpl(jail, claim, user);
    process.on('exit', fleet.exitHook);
    const model = MODELS[(opts.model ?? 'pi4') as ModelName] ?? opts.model ?? MODELS.pi4;
    const ctx = {
      jail,
      user,
      clientPublicKey: fleet.clientPublicKey,
      rebootDelayMs: opts.rebootDelayMs ?? 3000,
      powerDownDelayMs: opts.powerDownDelayMs ?? 250,
      startTimeoutMs: opts.startTimeoutMs ?? 20_000,
      sharedToolsDir: jail.path('tools'),
      onHostKeyChanged: () => fleet.writeClientFiles(),
    };
    try {
      jail.mkdir(jail.path('nodes'), 0o755);
      writeSharedTools(jail, ctx.sharedToolsDir);
      for (let k = 1; k <= opts.nodes; k++) {
        const name = nodeName(opts.namePrefix ?? 'node-', k, opts.nodes);
        const node = new FakeNode(ctx, { name, index: k, host: `127.0.${claim.slot}.${k}`, model });
        fleet.nodes.push(node);
        fleet.byName.set(name, node);
      }
      fleet.writeClientFiles();
      await Promise.all(fleet.nodes.map((node) => node.start()));
      return fleet;
    } catch (err) {
      await fleet.teardown();
      throw err;
    }
  }

  node(name: string): FakeNode {
    const n = this.byName.get(name);
    if (!n) throw new Error(`fleet: no node ${name} (have ${this.nodes[0]?.name}..${this.nodes.at(-1)?.name})`);
    return n;
  }

  /** ssh_config and known_hosts for hand use (`ssh -F ssh_config node-01`), and an ansible inventory. */
  writeClientFiles(): void {
    const known: string[] = [];
    const config: string[] = ['# Bramble fake Pi fleet: ssh -F this-file node-01', ''];
    const inventory: string[] = ['[fleet]'];
    for (const n of this.nodes) {
      known.push(`${n.name},${n.host} ${n.hostKeyPublic}`);
      config.push(
        `Host ${n.name} ${n.host}`,
        `  HostName ${n.host}`,
        '  Port 22',
        `  User ${n.user}`,
        `  IdentityFile ${this.clientKeyPath}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${this.knownHostsPath}`,
        '  StrictHostKeyChecking yes',
        '',
      );
      inventory.push(`${n.name} ansible_host=${n.host} ansible_user=${n.user}`);
    }
    inventory.push(
      '',
      '[fleet:vars]',
      `ansible_ssh_private_key_file=${this.clientKeyPath}`,
      `ansible_ssh_common_args='-o UserKnownHostsFile=${this.knownHostsPath} -o StrictHostKeyChecking=yes'`,
      'ansible_python_interpreter=/usr/bin/python3',
      '',
    );
    this.jail.writeFile(this.knownHostsPath, known.join('\n') + '\n');
    this.jail.writeFile(this.sshConfigPath, config.join('\n'));
    this.jail.writeFile(this.inventoryPath, inventory.join('\n'));
  }

  stop(): Promise<void> {
    this.stopping ??= this.teardown();
    return this.stopping;
  }

  private async teardown(): Promise<void> {
    await Promise.allSettled(this.nodes.map((n) => n.dispose()));
    // Belt and braces: anything still mentioning the fleet directory is ours.
    const marker = this.jail.root + '/';
    for (const pid of pidsMentioning(marker)) signal(pid, 'SIGKILL');
    await waitUntil(() => pidsMentioning(marker).length === 0, 3000);
    this.jail.removeAll();
    this.claim.release();
    process.off('exit', this.exitHook);
  }

  /** On process exit nothing asynchronous runs: SIGKILL, remove, release. */
  private stopSync(): void {
    for (const n of this.nodes) n.killSync();
    try {
      this.jail.removeAll();
    } catch {
      // best effort
    }
    this.claim.release();
  }
}
