// Loop devices for tests that need a real block device (flashing, reading
// partitions through /dev). The kernel here does not scan partition tables on
// loop devices and there is no udev, so partitions are added with `partx -a`
// and, if devtmpfs does not make their /dev nodes, with mknod from sysfs.
// Only devices this process attached are ever detached, and they are all
// detached when the process exits.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface LoopDevice {
  /** e.g. /dev/loop3 */
  device: string;
  /** Device nodes of the partitions, in partition order (empty when not asked for or none). */
  partitions: string[];
  /** Bytes, as the kernel sees the device. */
  size: number;
  /** The image file behind the device. */
  backingFile: string;
  /** Removes the partitions and the device; safe to call more than once. */
  detach(): Promise<void>;
}

export interface AttachOptions {
  /** Add the partitions found in the image's partition table. Default true. */
  partitions?: boolean;
  /** Attach read-only (use this on cached fixtures, which must not change). Default false. */
  readOnly?: boolean;
}

interface Attached {
  device: string;
  backingFile: string;
  /** /dev nodes this module made with mknod, to remove again. */
  madeNodes: string[];
  detached: boolean;
}

const attached = new Set<Attached>();
let exitHookInstalled = false;

const sysBlock = (device: string) => path.join('/sys/block', path.basename(device));

function partitionNames(device: string): string[] {
  const name = path.basename(device);
  const re = new RegExp(`^${name}p(\\d+)$`);
  return readdirSync(sysBlock(device))
    .map((entry) => re.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => m[0]);
}

/** The image a loop device currently reads from, or undefined if it is free. */
function backingFileOf(device: string): string | undefined {
  try {
    return readFileSync(path.join(sysBlock(device), 'loop', 'backing_file'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The device still reads our image (the kernel adds " (deleted)" if the file was removed). */
function stillOurs(entry: Attached): boolean {
  const now = backingFileOf(entry.device);
  return now === entry.backingFile || now === `${entry.backingFile} (deleted)`;
}

/** Waits briefly for devtmpfs to make a node, then makes it from sysfs's major:minor. */
async function ensureNode(node: string, sysDev: string): Promise<boolean> {
  for (let i = 0; i < 20 && !existsSync(node); i++) await new Promise((r) => setTimeout(r, 25));
  if (existsSync(node)) return false;
  const [major, minor] = readFileSync(sysDev, 'utf8').trim().split(':');
  await exec('mknod', ['-m', '0660', node, 'b', major!, minor!]);
  return true;
}

export async function attachLoop(imagePath: string, options: AttachOptions = {}): Promise<LoopDevice> {
  const backingFile = realpathSync(imagePath);
  const args = ['-f', '--show', ...(options.readOnly ? ['-r'] : []), backingFile];
  const device = (await exec('losetup', args)).stdout.trim();
  if (!/^\/dev\/loop\d+$/.test(device)) throw new Error(`losetup printed ${JSON.stringify(device)}, not a loop device`);
  const entry: Attached = { device, backingFile, madeNodes: [], detached: false };
  attached.add(entry);
  installExitHook();
  const partitions: string[] = [];
  try {
    if (options.partitions ?? true) {
      // partx exits non-zero on an image without a partition table; that just means no partitions.
      await exec('partx', ['-a', device]).catch(() => undefined);
      for (const name of partitionNames(device)) {
        const node = path.join('/dev', name);
        if (await ensureNode(node, path.join(sysBlock(device), name, 'dev'))) entry.madeNodes.push(node);
        partitions.push(node);
      }
    }
  } catch (error) {
    await detach(entry);
    throw error;
  }
  const size = Number(readFileSync(path.join(sysBlock(device), 'size'), 'utf8').trim()) * 512;
  return { device, partitions, size, backingFile, detach: () => detach(entry) };
}

async function detach(entry: Attached): Promise<void> {
  if (entry.detached) return;
  entry.detached = true;
  attached.delete(entry);
  // If the device was freed and someone else attached it since, it is theirs now.
  if (stillOurs(entry)) {
    await exec('partx', ['-d', entry.device]).catch(() => undefined);
    await exec('losetup', ['-d', entry.device]);
  }
  for (const node of entry.madeNodes) rmSync(node, { force: true });
}

/** Detaches every device this process attached (for afterAll hooks). */
export async function detachAll(): Promise<void> {
  await Promise.all([...attached].map((entry) => detach(entry)));
}

/** Devices this process has attached and not yet detached. */
export function attachedLoops(): string[] {
  return [...attached].map((e) => e.device);
}

/** At exit only synchronous work runs, so the same steps with execFileSync. */
function detachAllSync(): void {
  for (const entry of [...attached]) {
    entry.detached = true;
    attached.delete(entry);
    if (!stillOurs(entry)) continue;
    try {
      execFileSync('partx', ['-d', entry.device], { stdio: 'ignore' });
    } catch {
      // no partitions to remove
    }
    try {
      execFileSync('losetup', ['-d', entry.device], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    for (const node of entry.madeNodes) rmSync(node, { force: true });
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', detachAllSync);
  // A signal would end the process without 'exit': clean up, then die of the same signal.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      detachAllSync();
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
