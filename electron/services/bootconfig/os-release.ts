// Which Raspberry Pi OS a card or image holds, read from /etc/os-release on
// its root partition without mounting (ext2fs, through balena-image-fs). Used
// to pick the first-boot format when the user leaves it on automatic.
import { open, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { requireNative } from '../native';

export interface OsRelease {
  id?: string;
  codename?: string;
  prettyName?: string;
}

export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(?:"([^"]*)"|(.*))$/.exec(line.trim());
    if (m) fields.set(m[1]!, m[2] ?? m[3] ?? '');
  }
  return { id: fields.get('ID'), codename: fields.get('VERSION_CODENAME'), prettyName: fields.get('PRETTY_NAME') };
}

/** os-release of the second partition (Raspberry Pi OS's rootfs), or undefined when it cannot be read. */
export async function readOsRelease(target: string, partition = 2): Promise<OsRelease | undefined> {
  try {
    // Loaded only when needed: ext2fs installs process-wide handlers (see FACTS.md), so only in the writer.
    const { interact } = requireNative('balena-image-fs') as { interact: <T>(disk: unknown, partition: number, fn: (fs: typeof import('node:fs')) => Promise<T>) => Promise<T> };
    const { FileDisk } = requireNative('file-disk') as { FileDisk: new (handle: FileHandle, readOnly: boolean, recordWrites: boolean) => unknown };
    // Opened read-only, with ext2fs's own writes (it updates access times) kept in memory:
    // reading must never change the user's image, or its checksum would no longer match.
    const handle = await open(target, 'r');
    const read = interact(new FileDisk(handle, true, true), partition, async (fs) => {
      for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
        try {
          return (await promisify(fs.readFile)(file)).toString('utf8');
        } catch {
          // try the next
        }
      }
      return '';
    });
    const text = await read.finally(() => handle.close());
    return text ? parseOsRelease(text) : undefined;
  } catch {
    return undefined;
  }
}
