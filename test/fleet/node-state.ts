// A node's state directory: the files the fake tools read and write. Kept apart
// from the process side (node.ts) so the CLI can change a node of a fleet that
// another process supervises. A file that does not exist means the default, so
// a fresh node costs no file creations (slow on this machine's /tmp).
//
//   throttled temp volts ext5v model  vcgencmd answers (0x0, 48.7, 0.8500, 5.05716000, Pi 4)
//   hostname transient_hostname      set by hostnamectl / hostname; default the node name
//   boots                            "BOOT_ID BOOT_TIME_US" per boot; the last line is this boot
//   journal.jsonl                    journal entries, one JSON object a line
//   kmsg                             dmesg lines "[ secs.usecs] text" (removed at boot)
//   commands.jsonl                   argv of every recorded call, one JSON array a line
//   available packages               the fake apt's catalogue and installed list
//                                    (default: NODE/bin/.available and .packages)
//   sudo_password                    present: sudo asks for it; absent: NOPASSWD
//   apt_delay_ms                     how long apt-get install/update pretend to work
//   power                            a reboot/poweroff request from the node, for the harness
import { randomBytes } from 'node:crypto';
import { existsSync, lchownSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Jail } from './jail.js';

export const MODELS = {
  pi4: 'Raspberry Pi 4 Model B Rev 1.5',
  pi5: 'Raspberry Pi 5 Model B Rev 1.0',
} as const;
export type ModelName = keyof typeof MODELS;

export interface JournalEntry {
  message: string;
  /** `_SYSTEMD_UNIT`, e.g. `ssh.service`. */
  unit?: string;
  /** `SYSLOG_IDENTIFIER`; defaults to the unit name without its suffix, else `bramble-test`. */
  identifier?: string;
  /** syslog priority 0 (emerg) .. 7 (debug); default 6 (info). */
  priority?: number;
  pid?: number;
  timestamp?: Date;
  /** Extra journal fields (upper-case names), stored as given. */
  fields?: Record<string, string>;
}

export interface KernelLine {
  priority?: number;
  timestamp?: Date;
}

export interface PowerRequest {
  action: 'reboot' | 'poweroff' | 'cancel';
  delayMs: number;
}

export interface CatalogueEntry {
  name: string;
  version: string;
  preinstalled: boolean;
  description: string;
}

let catalogue: CatalogueEntry[] | undefined;

export function packageCatalogue(): CatalogueEntry[] {
  if (!catalogue) {
    const text = readFileSync(fileURLToPath(new URL('./packages.txt', import.meta.url)), 'utf8');
    catalogue = text
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => {
        const [name = '', version = '', pre = '', ...desc] = l.trim().split(/\s+/);
        return { name, version, preinstalled: pre === 'yes', description: desc.join(' ') };
      });
  }
  return catalogue;
}

export class NodeState {
  readonly dir: string;
  private readonly binDir: string;

  constructor(
    private readonly jail: Jail,
    nodeDir: string,
    private readonly nodeName: string,
    private readonly owner: { uid: number; gid: number },
  ) {
    this.dir = jail.path(nodeDir, 'state');
    this.binDir = jail.path(nodeDir, 'bin');
  }

  private file(name: string): string {
    return this.jail.path(this.dir, name);
  }

  private read(name: string, fallback = ''): string {
    try {
      return readFileSync(this.file(name), 'utf8').split('\n')[0] || fallback;
    } catch {
      return fallback;
    }
  }

  /** Files belong to the node user, who must be able to replace or truncate them (apt, dmesg -C). */
  private put(name: string, content: string): void {
    const p = this.file(name);
    this.jail.writeFile(p, content);
    lchownSync(p, this.owner.uid, this.owner.gid);
  }

  private append(name: string, content: string): void {
    const p = this.file(name);
    const created = !existsSync(p);
    this.jail.appendFile(p, content);
    if (created) lchownSync(p, this.owner.uid, this.owner.gid);
  }

  /** The node user owns the directory: the tools create and replace files in it. */
  init(model?: string): void {
    this.jail.mkdir(this.dir, 0o755);
    lchownSync(this.dir, this.owner.uid, this.owner.gid);
    if (model) this.setModel(model);
  }

  /** A power-on: new boot id and uptime origin, an empty kernel log, no transient hostname. */
  newBoot(now = Date.now()): void {
    this.append('boots', `${randomBytes(16).toString('hex')} ${now * 1000}\n`);
    for (const f of ['kmsg', 'transient_hostname', 'power']) rmSync(this.file(f), { force: true });
  }

  private currentBoot(): { id: string; us: number } {
    const lines = readLines(this.file('boots'));
    const [id = '', us = '0'] = (lines.at(-1) ?? '').split(' ');
    return { id, us: Number(us) || Date.now() * 1000 };
  }

  /** The name the node answers to (the one it boots with: hostnamectl set-hostname persists). */
  hostname(): string {
    return this.read('transient_hostname') || this.read('hostname') || this.nodeName;
  }
  staticHostname(): string {
    return this.read('hostname') || this.nodeName;
  }
  bootId(): string {
    return this.currentBoot().id;
  }
  bootTimeUs(): number {
    return this.currentBoot().us;
  }

  /** `vcgencmd get_throttled`; a number is printed as hex like the firmware does (0x50005). */
  setThrottled(v: number | string): void {
    const s = typeof v === 'number' ? `0x${v.toString(16)}` : v.trim();
    if (!/^0x[0-9a-fA-F]+$/.test(s)) throw new Error(`fleet: throttled must be a number or 0x... hex, got ${v}`);
    this.put('throttled', `${s.toLowerCase()}\n`);
  }
  setTemp(celsius: number): void {
    this.put('temp', `${celsius.toFixed(1)}\n`);
  }
  /** Core voltage (`measure_volts core`). */
  setVolts(v: number): void {
    this.put('volts', `${v.toFixed(4)}\n`);
  }
  /** Supply voltage a Pi 5 reports as EXT5V_V in `pmic_read_adc`. */
  setExt5V(v: number): void {
    this.put('ext5v', `${v.toFixed(8)}\n`);
  }
  /** `pi4`, `pi5` or a full model string; `pmic_read_adc` exists only on a Pi 5. */
  setModel(model: ModelName | string): void {
    this.put('model', `${MODELS[model as ModelName] ?? model}\n`);
  }
  model(): string {
    return this.read('model', MODELS.pi4);
  }
  /** A password sudo asks for (-S reads it from stdin); null: NOPASSWD. */
  setSudoPassword(password: string | null): void {
    if (password === null) rmSync(this.file('sudo_password'), { force: true });
    else this.put('sudo_password', `${password}\n`);
  }
  setAptDelay(ms: number): void {
    this.put('apt_delay_ms', `${Math.max(0, Math.round(ms))}\n`);
  }
  /** Add a package the fake apt can install (or change its version). */
  makeAvailable(name: string, version = '1.0-1', description = name): void {
    if (!/^[a-z0-9][a-z0-9+.-]+$/.test(name) || /\s/.test(version)) throw new Error(`fleet: bad package ${name} ${version}`);
    const lines = readLines(this.dataFile('available')).filter((l) => l.split(' ')[0] !== name);
    this.put('available', [...lines, `${name} ${version} ${description}`].join('\n') + '\n');
  }

  appendJournal(e: JournalEntry): void {
    const ts = e.timestamp ?? new Date();
    const us = BigInt(ts.getTime()) * 1000n;
    const b = this.currentBoot();
    const boot = BigInt(b.us);
    const ident = e.identifier ?? (e.unit ? e.unit.replace(/\.[a-z]+$/, '') : 'bramble-test');
    const entry: Record<string, string> = {
      __REALTIME_TIMESTAMP: String(us),
      __MONOTONIC_TIMESTAMP: String(us > boot ? us - boot : 0n),
      _BOOT_ID: b.id,
      PRIORITY: String(e.priority ?? 6),
      SYSLOG_FACILITY: '3',
      SYSLOG_IDENTIFIER: ident,
      _PID: String(e.pid ?? pseudoPid(ident)),
      _UID: '0',
      _COMM: ident,
      _HOSTNAME: this.hostname(),
      _TRANSPORT: e.unit ? 'stdout' : 'syslog',
      ...(e.unit ? { _SYSTEMD_UNIT: e.unit } : {}),
      ...e.fields,
      MESSAGE: e.message,
    };
    this.append('journal.jsonl', JSON.stringify(entry) + '\n');
  }

  /** A kernel message: in `dmesg` (this boot) and in `journalctl -k`. */
  appendKernel(line: string, o: KernelLine = {}): void {
    const ts = o.timestamp ?? new Date();
    const us = BigInt(ts.getTime()) * 1000n;
    const b = this.currentBoot();
    const boot = BigInt(b.us);
    const mono = us > boot ? us - boot : 0n;
    for (const text of line.split('\n')) {
      const secs = String(mono / 1000000n).padStart(5, ' ');
      const frac = String(mono % 1000000n).padStart(6, '0');
      this.append('kmsg', `[${secs}.${frac}] ${text}\n`);
      const entry = {
        __REALTIME_TIMESTAMP: String(us),
        __MONOTONIC_TIMESTAMP: String(mono),
        _BOOT_ID: b.id,
        PRIORITY: String(o.priority ?? 6),
        SYSLOG_FACILITY: '0',
        SYSLOG_IDENTIFIER: 'kernel',
        _HOSTNAME: this.hostname(),
        _TRANSPORT: 'kernel',
        MESSAGE: text,
      };
      this.append('journal.jsonl', JSON.stringify(entry) + '\n');
    }
  }

  /** argv lists recorded by the fake sudo, apt-get, dpkg, systemctl, reboot... in call order. */
  recordedCommands(): string[][] {
    return readLines(this.file('commands.jsonl')).flatMap((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return Array.isArray(v) ? [v.map(String)] : [];
      } catch {
        return [];
      }
    });
  }
  clearRecordedCommands(): void {
    this.put('commands.jsonl', '');
  }

  /** The node's copy of a data file once written, else the fleet default in bin/. */
  private dataFile(name: string): string {
    const own = this.file(name);
    return existsSync(own) ? own : this.jail.path(this.binDir, `.${name}`);
  }

  /** Names of the installed packages (not those removed with their config kept). */
  installedPackages(): string[] {
    return readLines(this.dataFile('packages'))
      .map((l) => l.split(' '))
      .filter((f) => f[2] === 'installed')
      .map((f) => f[0]!)
      .sort();
  }

  /** Read and consume the node's power request, if any. */
  takePowerRequest(): PowerRequest | undefined {
    const p = this.file('power');
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
    rmSync(p, { force: true });
    const [action, delay] = text.trim().split(/\s+/);
    if (action !== 'reboot' && action !== 'poweroff' && action !== 'cancel') return undefined;
    return { action, delayMs: Number(delay) || 0 };
  }
}

function readLines(p: string): string[] {
  try {
    return readFileSync(p, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** A stable made-up pid per identifier, so repeated entries of one "service" look like one process. */
function pseudoPid(ident: string): number {
  let h = 0;
  for (const c of ident) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 300 + (h % 3000);
}
