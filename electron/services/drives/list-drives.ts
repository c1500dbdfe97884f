// Lists the drives of this machine: drivelist's view (which omits loop
// devices), plus loop devices that have a backing file, from sysfs. Loop
// devices are marked virtual: the GUI hides them unless asked; the CLI and the
// tests accept them by path.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Drive } from '../../../shared/drives';

export interface RawDrive {
  device: string;
  description: string;
  size: number | null;
  isSystem: boolean;
  isRemovable: boolean;
  isReadOnly: boolean;
  isVirtual: boolean | null;
  busType: string;
  mountpoints: { path: string }[];
}

export type DriveLister = () => Promise<Drive[]>;

export async function listDrivelist(): Promise<Drive[]> {
  // Loaded lazily: a native addon that the CLI's other commands do not need.
  const drivelist = (await import('drivelist')) as { list(): Promise<RawDrive[]> };
  const raw = await drivelist.list();
  return raw.map(fromDrivelist);
}

export function fromDrivelist(d: RawDrive): Drive {
  return {
    device: d.device,
    description: d.description.trim() || path.basename(d.device),
    size: d.size,
    isSystem: d.isSystem,
    isRemovable: d.isRemovable,
    isReadOnly: d.isReadOnly,
    isVirtual: d.isVirtual === true,
    isLoop: false,
    busType: d.busType,
    mountpoints: d.mountpoints.map((m) => m.path),
  };
}

/** Loop devices with a backing file, read from /sys/block (Linux only). */
export async function listLoopDevices(sysBlock = '/sys/block'): Promise<Drive[]> {
  if (process.platform !== 'linux') return [];
  let names: string[];
  try {
    names = (await readdir(sysBlock)).filter((n) => /^loop\d+$/.test(n));
  } catch {
    return [];
  }
  const drives = await Promise.all(
    names.map(async (name): Promise<Drive | undefined> => {
      const dir = path.join(sysBlock, name);
      const backingFile = (await readFile(path.join(dir, 'loop', 'backing_file'), 'utf8').catch(() => '')).trim();
      if (!backingFile) return undefined;
      const sectors = Number((await readFile(path.join(dir, 'size'), 'utf8').catch(() => '0')).trim());
      const ro = (await readFile(path.join(dir, 'ro'), 'utf8').catch(() => '0')).trim() === '1';
      return {
        device: `/dev/${name}`,
        description: `Loop device (${path.basename(backingFile)})`,
        size: sectors * 512,
        isSystem: false,
        isRemovable: false,
        isReadOnly: ro,
        isVirtual: true,
        isLoop: true,
        backingFile,
        busType: 'VIRTUAL',
        mountpoints: [],
      };
    }),
  );
  return drives.filter((d): d is Drive => d !== undefined).sort((a, b) => a.device.localeCompare(b.device, 'en', { numeric: true }));
}

export async function listAllDrives(): Promise<Drive[]> {
  const [physical, loops] = await Promise.all([listDrivelist(), listLoopDevices()]);
  const known = new Set(physical.map((d) => d.device));
  return [...physical, ...loops.filter((d) => !known.has(d.device))];
}
