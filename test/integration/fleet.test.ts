// The fake Pi fleet harness (test/fleet), exercised the way Bramble will use it:
// real sshd nodes on loopback, reached with ssh2, host keys pinned. Needs root.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type FakeNode, type Fleet } from '../fleet/fleet.js';
import { cmdline, isAlive, pidsMentioning } from '../fleet/procs.js';
import { slotIsFree } from '../fleet/slots.js';

const { Client } = ssh2;
type Client = InstanceType<typeof Client>;

let fleet: Fleet;
const open = new Set<Client>();

beforeAll(async () => {
  fleet = await startFleet({ nodes: 8, rebootDelayMs: 1000 });
});

afterAll(async () => {
  for (const c of open) c.destroy();
  await fleet?.stop();
});

interface ConnectOptions {
  keepaliveInterval?: number;
  keepaliveCountMax?: number;
  fingerprint?: string;
}

/** An ssh2 connection to `node` with its host key pinned to `fingerprint` (default: the node's). */
function connect(node: FakeNode, o: ConnectOptions = {}): Promise<Client> {
  const c = new Client();
  open.add(c);
  const want = o.fingerprint ?? node.hostKeyFingerprint;
  return new Promise((resolve, reject) => {
    // Keep an error listener for the whole life of the connection: ssh2 can emit late errors.
    c.on('error', reject);
    c.on('close', () => open.delete(c));
    c.once('ready', () => resolve(c));
    c.connect({
      host: node.host,
      port: node.port,
      username: node.user,
      privateKey: fleet.clientPrivateKey,
      readyTimeout: 10_000,
      keepaliveInterval: o.keepaliveInterval,
      keepaliveCountMax: o.keepaliveCountMax,
      hostVerifier: (key: Buffer) => sha256(key) === want,
    });
  });
}

function sha256(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(c: Client, cmd: string, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    c.exec(cmd, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      stream.on('exit', (c: number | null) => (code = c));
      stream.on('close', () => resolve({ code, stdout, stderr }));
      if (stdin !== undefined) stream.end(stdin);
      else stream.end();
    });
  });
}

async function run(node: FakeNode, cmd: string, stdin?: string): Promise<ExecResult> {
  const c = await connect(node);
  try {
    return await exec(c, cmd, stdin);
  } finally {
    c.end();
  }
}

function closed(c: Client): Promise<void> {
  return new Promise((resolve) => c.once('close', () => resolve()));
}

describe('fake Pi fleet', () => {
  it('starts 8 nodes on their own loopback addresses, each with its own pinned host key', async () => {
    expect(fleet.nodes.map((n) => n.name)).toEqual(['node-01', 'node-02', 'node-03', 'node-04', 'node-05', 'node-06', 'node-07', 'node-08']);
    expect(new Set(fleet.nodes.map((n) => n.hostKeyFingerprint)).size).toBe(8);
    for (const [i, n] of fleet.nodes.entries()) {
      expect(n.host).toBe(`127.0.${fleet.slot}.${i + 1}`);
      expect(n.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(n.running).toBe(true);
    }
    const results = await Promise.all(fleet.nodes.map((n) => run(n, 'vcgencmd get_throttled')));
    for (const r of results) expect(r).toMatchObject({ code: 0, stdout: 'throttled=0x0\n' });
  });

  it('refuses a host key other than the pinned one', async () => {
    const n = fleet.node('node-01');
    await expect(connect(n, { fingerprint: fleet.node('node-02').hostKeyFingerprint })).rejects.toThrow();
  });

  it('reports what the test sets: throttling, temperature, voltage, Pi 5 PMIC', async () => {
    const n = fleet.node('node-02');
    await n.setThrottled(0x50005);
    await n.setTemp(71.4);
    await n.setVolts(0.72);
    const r = await run(n, 'vcgencmd get_throttled; vcgencmd measure_temp; vcgencmd measure_volts core; vcgencmd pmic_read_adc');
    expect(r.stdout).toBe("throttled=0x50005\ntemp=71.4'C\nvolt=0.7200V\nvc_gencmd_read_response returned -1\nerror=1 error_msg=\"Command not registered\"\n");
    expect(r.code).toBe(255);
    expect((await run(fleet.node('node-03'), 'vcgencmd get_throttled')).stdout).toBe('throttled=0x0\n');

    await n.setModel('pi5');
    await n.setExt5V(4.78);
    const pmic = await run(n, 'vcgencmd pmic_read_adc EXT5V_V');
    expect(pmic.stdout.trim()).toBe('EXT5V_V volt(24)=4.78000000V');
  });

  it('answers hostname with the node name', async () => {
    const n = fleet.node('node-04');
    const r = await run(n, 'hostname; uname -n; hostnamectl | grep "Static hostname"');
    expect(r.stdout).toBe('node-04\nnode-04\n Static hostname: node-04\n');
  });

  it('returns journal entries as journalctl -o json, and kernel lines in dmesg and journalctl -k', async () => {
    const n = fleet.node('node-05');
    const at = new Date('2025-11-28T14:03:12.345Z');
    await n.appendJournal({ message: 'Started Bramble agent', unit: 'bramble-agent.service', priority: 5, timestamp: at });
    const j = await run(n, 'journalctl -o json -n 1 --no-pager');
    expect(j.code).toBe(0);
    const entry = JSON.parse(j.stdout);
    expect(entry).toMatchObject({
      MESSAGE: 'Started Bramble agent',
      _SYSTEMD_UNIT: 'bramble-agent.service',
      PRIORITY: '5',
      _HOSTNAME: 'node-05',
      __REALTIME_TIMESTAMP: String(at.getTime() * 1000),
    });
    expect(entry.__CURSOR).toMatch(/i=1;/);

    await n.appendKernel('rpi_firmware_get_throttled: Under-voltage detected! (0x00050005)');
    const k = await run(n, 'dmesg; journalctl -k -o cat; journalctl -u bramble-agent -o cat');
    expect(k.stdout).toMatch(/^\[\s+\d+\.\d{6}\] rpi_firmware_get_throttled: Under-voltage detected! \(0x00050005\)\n/);
    expect(k.stdout.split('\n').slice(1)).toEqual([
      'rpi_firmware_get_throttled: Under-voltage detected! (0x00050005)',
      'Started Bramble agent',
      '',
    ]);
  });

  it('filters and formats the journal like journalctl', async () => {
    const n = fleet.node('node-04');
    const t = new Date(Date.now() - 60_000);
    await n.appendJournal({ message: 'old news', unit: 'ssh.service', timestamp: new Date(Date.now() - 3_600_000) });
    await n.appendJournal({ message: 'disk almost full', unit: 'bramble-agent.service', priority: 3, pid: 4242, timestamp: t });
    await n.appendJournal({ message: 'all good', unit: 'bramble-agent.service', timestamp: t });
    const r = await run(n, 'journalctl -u bramble-agent -p err --no-pager --utc; journalctl --since "-10min" -o cat; journalctl -n 1 -o short-unix -u ssh');
    const hhmmss = t.toISOString().slice(11, 19);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^[A-Z][a-z]{2} \\d{2} ${hhmmss} node-04 bramble-agent\\[4242\\]: disk almost full$`)),
      'disk almost full',
      'all good',
      expect.stringMatching(/^\d{10}\.\d{6} node-04 ssh\[\d+\]: old news$/),
      '',
    ]);
  });

  it('follows the journal with journalctl -f', async () => {
    const n = fleet.node('node-05');
    const c = await connect(n);
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      c.exec('journalctl -o json -n 0 -f', (err, stream) => {
        if (err) return reject(err);
        let buf = '';
        stream.on('data', (d: Buffer) => {
          buf += d.toString();
          const parts = buf.split('\n');
          buf = parts.pop()!;
          lines.push(...parts);
          if (lines.length >= 2) resolve();
        });
        setTimeout(() => void n.appendJournal({ message: 'one' }).then(() => n.appendJournal({ message: 'two' })), 300);
      });
    });
    expect(lines.map((l) => JSON.parse(l).MESSAGE)).toEqual(['one', 'two']);
    c.end();
  });

  it('kill closes live connections and refuses new ones; restart brings the node back', async () => {
    const n = fleet.node('node-06');
    const c = await connect(n);
    const gone = closed(c);
    const before = n.pid!;
    await n.kill();
    await gone;
    expect(n.running).toBe(false);
    expect(isAlive(before)).toBe(false);
    await expect(connect(n)).rejects.toThrow(/ECONNREFUSED/);

    await n.restart();
    expect(n.running).toBe(true);
    expect((await run(n, 'hostname')).stdout).toBe('node-06\n');
  });

  it('freeze makes a keepalive client time out; resume answers again', async () => {
    const n = fleet.node('node-07');
    const c = await connect(n, { keepaliveInterval: 500, keepaliveCountMax: 3 });
    const failed = new Promise<Error>((resolve) => c.on('error', resolve));
    await n.freeze();
    const t0 = Date.now();
    const err = await failed;
    expect(err.message).toMatch(/Keepalive timeout/i);
    expect(Date.now() - t0).toBeLessThan(5000);
    await n.resume();
    expect((await run(n, 'vcgencmd get_throttled')).stdout).toBe('throttled=0x0\n');
  });

  it('records sudo apt-get install, after which dpkg-query reports the package installed', async () => {
    const n = fleet.node('node-08');
    const before = await run(n, "dpkg-query -W -f='${Status}' htop");
    expect(before).toMatchObject({ code: 1, stderr: 'dpkg-query: no packages found matching htop\n' });
    const denied = await run(n, 'apt-get install -y htop');
    expect(denied.code).toBe(100);

    const r = await run(n, 'sudo -n apt-get install -y -q --no-install-recommends htop');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Setting up htop (3.2.2-2) ...');
    expect(await n.recordedCommands()).toContainEqual(['sudo', '-n', 'apt-get', 'install', '-y', '-q', '--no-install-recommends', 'htop']);
    expect(await n.recordedCommands()).toContainEqual(['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'htop']);
    expect(await n.installedPackages()).toContain('htop');

    const q = await run(n, "dpkg-query -W -f='${Status}' htop; echo; dpkg-query -W -f='${Package} ${Version}\\n' htop");
    expect(q.stdout).toBe('install ok installed\nhtop 3.2.2-2\n');
  });

  it('sudo with a password: -S reads it from stdin, -n fails', async () => {
    const n = fleet.node('node-08');
    await n.setSudoPassword('raspberry');
    expect((await run(n, 'sudo -n true')).stderr).toBe('sudo: a password is required\n');
    const ok = await run(n, 'sudo -S -p "pw:" whoami', 'raspberry\n');
    expect(ok).toMatchObject({ code: 0, stdout: 'root\n' });
    await n.setSudoPassword(null);
  });

  it('sudo reboot takes the node down and brings it back by itself', async () => {
    const n = fleet.node('node-03');
    const bootsBefore = n.boots;
    const bootId = (await run(n, 'hostnamectl | grep Boot')).stdout;
    const c = await connect(n);
    const gone = closed(c);
    const r = await exec(c, 'sudo reboot');
    expect(r.code).toBe(0);
    await gone;
    await n.waitUntilDown(5000);
    await n.waitUntilUp(10_000);
    expect(n.boots).toBe(bootsBefore + 1);
    const after = (await run(n, 'hostnamectl | grep Boot')).stdout;
    expect(after).toMatch(/Boot ID: [0-9a-f]{32}/);
    expect(after).not.toBe(bootId);
    expect(await n.recordedCommands()).toContainEqual(['reboot']);
  });

  it('a regenerated host key and a new hostname are what the node has after a restart', async () => {
    const n = fleet.node('node-01');
    const old = n.hostKeyFingerprint;
    expect((await run(n, 'sudo hostnamectl set-hostname pi-renamed')).code).toBe(0);
    await n.regenerateHostKey();
    expect(n.hostKeyFingerprint).not.toBe(old);
    await n.restart();
    await expect(connect(n, { fingerprint: old })).rejects.toThrow();
    expect((await run(n, 'hostname; uname -n; cat /proc/sys/kernel/hostname')).stdout).toBe('pi-renamed\npi-renamed\npi-renamed\n');
  });

  it('stop() leaves no process, no directory and a free slot', async () => {
    const pids = fleet.nodes.map((n) => n.pid!);
    const dir = fleet.dir;
    const slot = fleet.slot;
    expect(slotIsFree(slot)).toBe(false);
    await fleet.stop();
    for (const p of pids) expect(isAlive(p), `pid ${p} (${cmdline(p)})`).toBe(false);
    expect(pidsMentioning(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(slotIsFree(slot)).toBe(true);
    await expect(connect(fleet.nodes[0]!)).rejects.toThrow(/ECONNREFUSED/);
  });
});
