// write-file-atomic, loaded on first write: the many commands that only read a
// store (flash, status, version) should not pay its start-up.
import { requireNative } from '../native';

type WriteFileAtomic = (file: string, data: string | Buffer, options?: { mode?: number }) => Promise<void>;

let loaded: WriteFileAtomic | undefined;

export function writeFileAtomic(file: string, data: string | Buffer, options?: { mode?: number }): Promise<void> {
  loaded ??= requireNative('write-file-atomic') as WriteFileAtomic;
  return loaded(file, data, options);
}
