// Where an image is written: a block device (an SD card, or a loop device in
// tests) or a plain image file. Block devices are unmounted, then opened
// exclusively with O_DIRECT so writes go to the card rather than the page
// cache, progress is honest, and verification reads the card, not memory.
import { constants, fsync, type promises as fsp } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { requireNative } from '../native';
import { UserError } from '../user-error';

export const ALIGNMENT = 4096;

export interface FlashTarget {
  /** What the user calls it: the device path or file name. */
  readonly path: string;
  readonly kind: 'device' | 'file';
  /** True when buffers and lengths must be ALIGNMENT-aligned (O_DIRECT). */
  readonly direct: boolean;
  open(): Promise<void>;
  write(buffer: Buffer, length: number, position: number): Promise<void>;
  read(buffer: Buffer, length: number, position: number): Promise<number>;
  /** Makes the size exactly `size` (files only: holes stay holes). */
  setLength(size: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenTargetOptions {
  unmount?: (device: string) => Promise<void>;
  /**
   * The device number (st_rdev) the safety check saw at this path. The opened
   * handle must be that same device, so a device swapped in after the check
   * (a card pulled and another inserted, a path re-pointed) is refused.
   */
  expectRdev?: number;
}

export async function openTarget(path: string, options: OpenTargetOptions = {}): Promise<FlashTarget> {
  let isDevice = false;
  try {
    // lstat: a link is never taken for the device it points to.
    isDevice = (await lstat(path)).isBlockDevice();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw describeIoError(error, path, 'open');
  }
  const unmount = options.unmount ?? unmountDisk;
  // On Linux a plain exclusive O_DIRECT open is all a drive needs; elsewhere
  // etcher-sdk knows the platform's rituals (diskpart clean, F_NOCACHE, locks).
  if (options.expectRdev !== undefined && !isDevice) throw new UserError(`${path} is no longer the drive Bramble checked; nothing was written to it.`);
  const target = !isDevice ? new FileTarget(path) : process.platform === 'linux' ? new LinuxDeviceTarget(path, unmount, options.expectRdev) : new EtcherDeviceTarget(path, unmount);
  await target.open();
  return target;
}

abstract class FdTarget implements FlashTarget {
  protected handle: fsp.FileHandle | undefined;
  abstract readonly kind: 'device' | 'file';
  abstract readonly direct: boolean;
  constructor(readonly path: string) {}
  abstract open(): Promise<void>;

  async write(buffer: Buffer, length: number, position: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const { bytesWritten } = await this.fh().write(buffer, done, length - done, position + done).catch((e) => {
        throw describeIoError(e, this.path, 'write');
      });
      if (bytesWritten === 0) throw new UserError(`${this.path} stopped accepting data at byte ${position + done}; the card may be full or removed.`);
      done += bytesWritten;
    }
  }

  async read(buffer: Buffer, length: number, position: number): Promise<number> {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh().read(buffer, done, length - done, position + done).catch((e) => {
        throw describeIoError(e, this.path, 'read');
      });
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  async setLength(_size: number): Promise<void> {}

  async sync(): Promise<void> {
    await this.fh().sync().catch((e) => {
      throw describeIoError(e, this.path, 'write');
    });
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close().catch(() => {});
  }

  protected fh(): fsp.FileHandle {
    if (!this.handle) throw new UserError(`${this.path} is closed.`);
    return this.handle;
  }
}

/**
 * A drive on macOS or Windows, opened through etcher-sdk's BlockDevice: it unmounts the drive,
 * cleans it with diskpart on Windows, opens it exclusively with O_DIRECT
 * (F_NOCACHE on macOS), and does aligned reads and writes. Loaded only here,
 * in the writer process, because etcher-sdk installs process-wide handlers.
 */
class EtcherDeviceTarget implements FlashTarget {
  readonly kind = 'device' as const;
  readonly direct = true;
  private device: EtcherBlockDevice | undefined;
  constructor(readonly path: string, private readonly unmount: (device: string) => Promise<void>) {}

  async open(): Promise<void> {
    await this.unmount(this.path);
    const { BlockDevice } = (requireNative('etcher-sdk') as typeof import('etcher-sdk')).sourceDestination;
    const drive = { raw: this.path, device: this.path, devicePath: null, description: this.path, size: null, blockSize: ALIGNMENT, mountpoints: [], isSystem: false, isReadOnly: false };
    const device = new BlockDevice({ drive: drive as never, write: true, direct: true, unmountOnSuccess: false, keepOriginal: false }) as unknown as EtcherBlockDevice;
    await device.open().catch((e: unknown) => {
      throw describeIoError(e, this.path, 'open');
    });
    this.device = device;
  }

  async write(buffer: Buffer, length: number, position: number): Promise<void> {
    const { bytesWritten } = await this.dev().write(buffer, 0, length, position).catch((e: unknown) => {
      throw describeIoError(e, this.path, 'write');
    });
    if (bytesWritten < length) throw new UserError(`${this.path} stopped accepting data at byte ${position + bytesWritten}; the card may be full or removed.`);
  }

  async read(buffer: Buffer, length: number, position: number): Promise<number> {
    const { bytesRead } = await this.dev().read(buffer, 0, length, position).catch((e: unknown) => {
      throw describeIoError(e, this.path, 'read');
    });
    return bytesRead;
  }

  async setLength(): Promise<void> {}

  async sync(): Promise<void> {
    // O_DIRECT writes bypass the page cache; fsync still flushes the drive's own cache.
    const fd = this.dev().fileHandle?.fd;
    if (fd !== undefined) await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(describeIoError(e, this.path, 'write')) : resolve())));
  }

  async close(): Promise<void> {
    const d = this.device;
    this.device = undefined;
    await d?.close().catch(() => {});
  }

  private dev(): EtcherBlockDevice {
    if (!this.device) throw new UserError(`${this.path} is closed.`);
    return this.device;
  }
}

interface EtcherBlockDevice {
  open(): Promise<void>;
  close(): Promise<void>;
  write(buffer: Buffer, bufferOffset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  read(buffer: Buffer, bufferOffset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  fileHandle?: { fd: number };
}

class LinuxDeviceTarget extends FdTarget {
  readonly kind = 'device' as const;
  readonly direct = true;
  constructor(
    path: string,
    private readonly unmount: (device: string) => Promise<void>,
    private readonly expectRdev?: number,
  ) {
    super(path);
  }
  async open(): Promise<void> {
    await this.unmount(this.path);
    // O_EXCL on a block device fails with EBUSY while anything has it mounted.
    this.handle = await open(this.path, constants.O_RDWR | constants.O_DIRECT | constants.O_EXCL).catch((e) => {
      throw describeIoError(e, this.path, 'open');
    });
    const st = await this.handle.stat();
    if (!st.isBlockDevice() || (this.expectRdev !== undefined && st.rdev !== this.expectRdev)) {
      await this.close();
      throw new UserError(`${this.path} changed between Bramble's safety check and opening it (a different device is there now); nothing was written to it.`);
    }
  }
}

class FileTarget extends FdTarget {
  readonly kind = 'file' as const;
  readonly direct = false;
  async open(): Promise<void> {
    // Owner-only (a card image may carry first-boot secrets), never through a symlink,
    // and checked on the open handle, so a swap after the policy check cannot redirect it.
    this.handle = await open(this.path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600).catch((e) => {
      throw (e as NodeJS.ErrnoException).code === 'ELOOP' ? new UserError(`${this.path} is a link; Bramble will not write through links.`) : describeIoError(e, this.path, 'open');
    });
    const st = await this.handle.stat();
    if (!st.isFile()) {
      await this.close();
      throw new UserError(`${this.path} is not a regular file; Bramble will not write to special files.`);
    }
    await this.handle.chmod(0o600);
  }
  override async setLength(size: number): Promise<void> {
    await this.fh().truncate(size);
  }
}

async function unmountDisk(device: string): Promise<void> {
  if (process.platform === 'win32') return;
  const mountutils = requireNative('mountutils') as typeof import('mountutils');
  await promisify(mountutils.unmountDisk)(device).catch((error: Error) => {
    throw new UserError(`Bramble could not unmount ${device} before writing it (${error.message}); close any window using the card and try again.`);
  });
}

/** Turns an I/O errno into a sentence a user can act on. */
export function describeIoError(error: unknown, path: string, op: 'open' | 'read' | 'write'): UserError {
  if (error instanceof UserError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reasons: Record<string, string> = {
    EACCES: `Bramble is not allowed to ${op} ${path}; it needs administrator rights for drives.`,
    EPERM: `Bramble is not allowed to ${op} ${path}; it needs administrator rights for drives.`,
    EBUSY: `${path} is in use (mounted or opened by another program); eject its partitions or close that program and try again.`,
    EROFS: `${path} is read-only; if it is an SD card, slide its lock switch away from "Lock".`,
    ENOSPC: `${path} has no room left: the card is smaller than it claims, or it was removed.`,
    EIO: `${path} stopped responding during ${op} (I/O error); the card may have been removed or may be failing.`,
    ENXIO: `${path} disappeared during ${op}; the card was probably removed.`,
    ENODEV: `${path} disappeared during ${op}; the card was probably removed.`,
    ENOENT: `${path} does not exist (any more); the card was probably removed.`,
    EINVAL: `${path} refused the ${op} (invalid argument); it may not support direct I/O.`,
  };
  return new UserError(reasons[code] ?? `${op} of ${path} failed: ${(error as Error).message}.`, { cause: error });
}
