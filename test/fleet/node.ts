// One fake Pi: an OpenSSH sshd in its own pid, UTS and mount namespaces.
//
// The namespaces are what make failure injection total. The sshd is pid 1 of its
// pid namespace, so killing it makes the kernel kill every session process of
// the node at once (pulling the plug), and freezing can find every process of
// the node by its namespace. The UTS namespace gives `uname -n` the node's name;
// the mount namespace carries the node's home bind-mounted over the shared
// account's home (see users.ts) and its own /proc, so `ps` on a node shows that
// node's processes only.
//
// Process tree, all children of the harness process:
//   setpriv --pdeathsig KILL -> exec unshare --kill-child  (dies with the harness even on SIGKILL)
//     └─ sh -> exec sshd -D -e   (pid 1 in the node's pid namespace; sessions below it)
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, lchownSync, openSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Jail } from './jail.js';
import { fingerprint, generateEd25519 } from './keys.js';
import { waitListening } from './listen-watch.js';
import { MODELS, NodeState, type JournalEntry, type KernelLine, type ModelName } from './node-state.js';
import { childPids, isAlive, pidNamespace, pidsInNamespace, signal, waitUntil } from './procs.js';
import { SSHD, sshdConfig } from './sshd-config.js';
import { linkTools } from './tools.js';
import type { FleetUser } from './users.js';

export type DownReason = 'kill' | 'stop' | 'reboot' | 'poweroff' | 'restart' | 'exited';

export interface NodeContext {
  jail: Jail;
  user: FleetUser;
  clientPublicKey: string;
  rebootDelayMs: number;
  powerDownDelayMs: number;
  startTimeoutMs: number;
  /** The fleet's shared copy of the fake tools, hard-linked into each node's bin. */
  sharedToolsDir: string;
  onHostKeyChanged(): void;
}

export interface NodeSpec {
  name: string;
  index: number;
  host: string;
  model: string;
}

/**
 * Runs as pid 1 of the new namespaces ($1 is the harness's pid). Before it sets a
 * hostname or mounts anything it checks, with test -ef on the namespace files,
 * that it is not in the harness's mount and UTS namespaces: those are the host's.
 */
const INIT_SCRIPT = [
  'if [ /proc/self/ns/mnt -ef "/proc/$1/ns/mnt" ] || [ /proc/self/ns/uts -ef "/proc/$1/ns/uts" ]; then',
  '  echo "bramble fleet: not in private namespaces; refusing to start" >&2; exit 97',
  'fi',
  '/bin/hostname "$2" || exit 98',
  '/bin/mount -t proc -o nosuid,nodev,noexec proc /proc || exit 99',
  '/bin/mount --bind "$3" "$4" || exit 99',
  'exec "$5" -D -e -f "$6"',
].join('\n');

/** What ssh2's `Client.connect` needs for this node; `hostVerifier` pins the current host key. */
export interface NodeConnectConfig {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  hostVerifier: (key: Buffer) => boolean;
}

export class FakeNode extends EventEmitter {
  readonly name: string;
  readonly index: number;
  readonly host: string;
  readonly port = 22;
  readonly user: string;
  readonly dir: string;
  readonly binDir: string;
  readonly homeDir: string;
  readonly state: NodeState;
  readonly logPath: string;
  hostKeyPublic = '';
  hostKeyFingerprint = '';
  /** Host pid of the node's sshd (pid 1 inside the node); undefined while down. */
  pid: number | undefined;
  running = false;
  frozen = false;
  /** Times the node has come up (1 after the fleet starts). */
  boots = 0;

  private readonly configPath: string;
  private readonly hostKeyPath: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private pidNs: string | undefined;
  private downReason: DownReason | undefined;
  private watcher: FSWatcher | undefined;
  private powerTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly ctx: NodeContext,
    spec: NodeSpec,
  ) {
    super();
    const j = ctx.jail;
    this.name = spec.name;
    this.index = spec.index;
    this.host = spec.host;
    this.user = ctx.user.name;
    this.dir = j.path('nodes', spec.name);
    this.binDir = j.path(this.dir, 'bin');
    this.homeDir = j.path(this.dir, 'home');
    this.configPath = j.path(this.dir, 'sshd_config');
    this.hostKeyPath = j.path(this.dir, 'ssh_host_ed25519_key');
    this.logPath = j.path(this.dir, 'sshd.log');
    this.state = new NodeState(j, this.dir, spec.name, ctx.user);
    this.layout(spec);
  }

  /** Write the node's directories: config, host key, home, fake tools, state. */
  private layout(spec: NodeSpec): void {
    const { jail: j, user } = this.ctx;
    j.mkdir(this.dir, 0o755);
    j.mkdir(this.binDir, 0o755);
    linkTools(j, this.ctx.sharedToolsDir, this.binDir);
    this.writeHostKey();
    j.writeFile(
      this.configPath,
      sshdConfig({
        host: this.host,
        hostKeyPath: this.hostKeyPath,
        user: user.name,
        authorizedKeysFile: '.ssh/authorized_keys',
        binDir: this.binDir,
      }),
    );
    this.state.init(spec.model === MODELS.pi4 ? undefined : spec.model);

    // sshd's StrictModes wants the home and ~/.ssh owned by the user and not writable by others.
    const ssh = j.path(this.homeDir, '.ssh');
    j.mkdir(this.homeDir, 0o755);
    j.mkdir(ssh, 0o700);
    const prepend = `case ":$PATH:" in *":${this.binDir}:"*) ;; *) PATH="${this.binDir}:$PATH" ;; esac\nexport PATH\n`;
    const files: [string, string, number][] = [
      [path.join(ssh, 'authorized_keys'), `${this.ctx.clientPublicKey} bramble-fleet-client\n`, 0o600],
      // Login shells get PATH from /etc/profile, which drops sshd's SetEnv PATH.
      [path.join(this.homeDir, '.profile'), `# Fake Pi tools first (bramble fleet)\n${prepend}[ -n "$BASH_VERSION" ] && [ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"\n`, 0o644],
      // Before any "interactive only" early return: bash sources this for `ssh node cmd` too.
      [path.join(this.homeDir, '.bashrc'), `# Fake Pi tools first (bramble fleet)\n${prepend}`, 0o644],
    ];
    for (const [p, content, mode] of files) {
      j.writeFile(p, content, mode);
      lchownSync(p, user.uid, user.gid);
    }
    lchownSync(ssh, user.uid, user.gid);
    lchownSync(this.homeDir, user.uid, user.gid);
    this.watchPower();
  }

  private writeHostKey(): void {
    const key = generateEd25519(`root@${this.name}`);
    this.ctx.jail.writeFile(this.hostKeyPath, key.privateKey, 0o600);
    this.hostKeyPublic = key.publicKey;
    this.hostKeyFingerprint = fingerprint(key.publicKey);
  }

  /** Start the node's sshd; resolves when it listens on host:22. */
  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error(`fleet: ${this.name} belongs to a stopped fleet`));
    if (!this.starting && !this.child) {
      this.starting = this.boot().finally(() => (this.starting = undefined));
    }
    return this.starting ?? Promise.resolve();
  }

  private async boot(): Promise<void> {
    this.state.newBoot();
    const log = openSync(this.logPath, 'a');
    const child = spawn(
      '/usr/bin/setpriv',
      [
        '--pdeathsig', 'KILL', '--',
        '/usr/bin/unshare', '--pid', '--uts', '--mount', '--propagation', 'private', '--kill-child=SIGKILL', '--',
        '/bin/sh', '-c', INIT_SCRIPT, `bramble-${this.name}`,
        String(process.pid), this.state.staticHostname(), this.homeDir, this.ctx.user.mountPoint, SSHD, this.configPath,
      ],
      // sshd's environment does not reach sessions, but keep the harness's out of it anyway.
      { stdio: ['ignore', log, log], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } },
    );
    closeSync(log);
    this.child = child;
    this.downReason = undefined;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        if (this.child === child) {
          this.child = undefined;
          this.pid = undefined;
          this.pidNs = undefined;
          this.frozen = false;
          const wasRunning = this.running;
          this.running = false;
          if (wasRunning) this.emit('down', this.downReason ?? 'exited');
        }
        resolve();
      });
    });
    child.once('error', () => {}); // surfaces as 'exit' or as the start timeout below

    const ready = await this.waitReady(child);
    if (!ready) {
      await this.forceDown();
      throw new Error(`fleet: ${this.name} (${this.host}:22) did not start:\n${this.logTail()}`);
    }
    this.pid = childPids(child.pid!)[0];
    this.pidNs = this.pid === undefined ? undefined : pidNamespace(this.pid);
    this.running = true;
    this.boots++;
    this.emit('up');
  }

  private waitReady(child: ChildProcess): Promise<boolean> {
    const gone = () => child.exitCode !== null || child.signalCode !== null || this.child !== child;
    return waitListening(this.host, 22, this.ctx.startTimeoutMs, gone);
  }

  private logTail(): string {
    try {
      return readFileSync(this.logPath, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no sshd log)';
    }
  }

  /** Take the node down with `sig` to its init; SIGKILL everything if that is not enough. */
  private async down(reason: DownReason, sig: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.downReason = reason;
    if (this.pid !== undefined && !this.frozen) signal(this.pid, sig);
    else signal(this.pid ?? child.pid!, 'SIGKILL');
    if (!(await within(this.exited, graceMs))) await this.forceDown();
  }

  private async forceDown(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.pid !== undefined) signal(this.pid, 'SIGKILL');
    if (child.pid !== undefined) signal(child.pid, 'SIGKILL');
    if (!(await within(this.exited, 5000))) throw new Error(`fleet: ${this.name} did not exit after SIGKILL`);
  }

  /** Pull the plug: SIGKILL the node's sshd and with it every session. */
  async kill(): Promise<void> {
    this.cancelPower();
    await this.down('kill', 'SIGKILL', 3000);
  }

  /** A clean stop: SIGTERM, then SIGKILL after a grace period. */
  async stop(reason: DownReason = 'stop'): Promise<void> {
    this.cancelPower();
    await this.down(reason, 'SIGTERM', 1500);
  }

  /** Power on again (after kill or poweroff) with the same host key and state; a running node is power-cycled. */
  async restart(): Promise<void> {
    this.cancelPower();
    if (this.child) await this.down('restart', 'SIGKILL', 3000);
    await this.start();
  }

  /** SIGSTOP every process of the node: it keeps its TCP connections but answers nothing. */
  async freeze(): Promise<void> {
    const ns = this.pidNs;
    if (!this.running || !ns) throw new Error(`fleet: ${this.name} is not running`);
    // Init first, so no new session appears; a second pass catches anything forked meanwhile.
    signal(this.pid!, 'SIGSTOP');
    for (let pass = 0; pass < 2; pass++) for (const p of pidsInNamespace(ns)) signal(p, 'SIGSTOP');
    this.frozen = true;
  }

  async resume(): Promise<void> {
    const ns = this.pidNs;
    if (!ns) return;
    for (const p of pidsInNamespace(ns)) signal(p, 'SIGCONT');
    this.frozen = false;
  }

  /** Every live process of the node, by host pid. */
  processes(): number[] {
    return this.pidNs ? pidsInNamespace(this.pidNs).filter(isAlive) : [];
  }

  /** "Reflashed": a new host key, which the sshd presents from its next start. */
  async regenerateHostKey(): Promise<void> {
    this.writeHostKey();
    this.ctx.onHostKeyChanged();
  }

  connectConfig(privateKey: string): NodeConnectConfig {
    return {
      host: this.host,
      port: this.port,
      username: this.user,
      privateKey,
      hostVerifier: (key: Buffer) =>
        'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '') === this.hostKeyFingerprint,
    };
  }

  // State the fake tools report.
  async setThrottled(v: number | string): Promise<void> {
    this.state.setThrottled(v);
  }
  async setTemp(celsius: number): Promise<void> {
    this.state.setTemp(celsius);
  }
  async setVolts(v: number): Promise<void> {
    this.state.setVolts(v);
  }
  async setExt5V(v: number): Promise<void> {
    this.state.setExt5V(v);
  }
  async setModel(model: ModelName | string): Promise<void> {
    this.state.setModel(model);
  }
  async setSudoPassword(password: string | null): Promise<void> {
    this.state.setSudoPassword(password);
  }
  async setAptDelay(ms: number): Promise<void> {
    this.state.setAptDelay(ms);
  }
  async makeAvailable(name: string, version?: string, description?: string): Promise<void> {
    this.state.makeAvailable(name, version, description);
  }
  async appendJournal(entry: JournalEntry): Promise<void> {
    this.state.appendJournal(entry);
  }
  async appendKernel(line: string, o?: KernelLine): Promise<void> {
    this.state.appendKernel(line, o);
  }
  async recordedCommands(): Promise<string[][]> {
    return this.state.recordedCommands();
  }
  async clearRecordedCommands(): Promise<void> {
    this.state.clearRecordedCommands();
  }
  async installedPackages(): Promise<string[]> {
    return this.state.installedPackages();
  }

  /** The fake reboot/poweroff/shutdown/systemctl write state/power; act on it like a real Pi would. */
  private watchPower(): void {
    this.watcher = watch(this.state.dir, (_event, file) => {
      if (file === 'power') this.onPowerRequest();
    });
    this.watcher.unref();
    this.watcher.on('error', () => {});
  }

  private onPowerRequest(): void {
    const req = this.state.takePowerRequest();
    if (!req || this.disposed) return;
    this.cancelPower();
    if (req.action === 'cancel') return;
    const reason = req.action;
    // A short delay like a real shutdown, so the command that asked usually gets its exit status back.
    this.powerTimer = setTimeout(() => {
      this.powerTimer = undefined;
      void this.stop(reason).then(() => {
        if (reason !== 'reboot' || this.disposed) return;
        this.powerTimer = setTimeout(() => {
          this.powerTimer = undefined;
          if (!this.disposed && !this.child) this.start().catch((err: unknown) => this.emit('start-failed', err));
        }, this.ctx.rebootDelayMs);
        this.powerTimer.unref();
      });
    }, req.delayMs + this.ctx.powerDownDelayMs);
    this.powerTimer.unref();
    this.emit('power', req);
  }

  private cancelPower(): void {
    if (this.powerTimer) clearTimeout(this.powerTimer);
    this.powerTimer = undefined;
  }

  /** Stop for good (fleet shutdown). */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelPower();
    this.watcher?.close();
    await this.stop('stop');
  }

  /** Synchronous last resort for process exit: SIGKILL and forget. */
  killSync(): void {
    this.disposed = true;
    this.cancelPower();
    this.watcher?.close();
    if (this.pid !== undefined) signal(this.pid, 'SIGKILL');
    if (this.child?.pid !== undefined) signal(this.child.pid, 'SIGKILL');
  }

  /** Wait until the node is up (e.g. after a reboot it asked for itself). */
  async waitUntilUp(timeoutMs = 30_000): Promise<void> {
    if (!(await waitUntil(() => this.running, timeoutMs, 20))) throw new Error(`fleet: ${this.name} did not come up within ${timeoutMs} ms`);
  }
  async waitUntilDown(timeoutMs = 30_000): Promise<void> {
    if (!(await waitUntil(() => !this.running, timeoutMs, 20))) throw new Error(`fleet: ${this.name} did not go down within ${timeoutMs} ms`);
  }
}

function within(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(t);
      resolve(true);
    });
  });
}
