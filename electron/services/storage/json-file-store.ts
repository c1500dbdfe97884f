// A JSON document on disk, validated by a zod schema, written atomically (temp
// file + rename, owner-only permissions). A damaged file is never silently
// overwritten: it is moved aside, the last good copy (`.bak`) is restored if
// there is one, and the caller is told in a plain sentence what happened.
import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './write-atomic';
import type { z } from 'zod';

export interface LoadResult<T> {
  value: T;
  /** Set when the file was damaged and something was recovered or reset. */
  recovery?: string;
}

export class JsonFileStore<S extends z.ZodType> {
  constructor(
    readonly file: string,
    private readonly schema: S,
    private readonly defaults: () => z.output<S>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get backupFile(): string {
    return `${this.file}.bak`;
  }

  load(): LoadResult<z.output<S>> {
    if (!existsSync(this.file)) return { value: this.defaults() };
    const problem = this.problemWith(this.file);
    if (!problem) {
      const value = this.read(this.file);
      // A file that loads is the new last good copy.
      copyPrivate(this.file, this.backupFile);
      return { value };
    }
    const kept = this.moveAside();
    const name = path.basename(this.file);
    if (existsSync(this.backupFile) && !this.problemWith(this.backupFile)) {
      const value = this.read(this.backupFile);
      copyPrivate(this.backupFile, this.file);
      return { value, recovery: `${name} was damaged (${problem}); Bramble restored the last good copy and kept the damaged file as ${path.basename(kept)}.` };
    }
    return { value: this.defaults(), recovery: `${name} was damaged (${problem}) and there was no good copy to restore, so Bramble started from defaults; the damaged file is kept as ${path.basename(kept)}.` };
  }

  async save(value: z.output<S>): Promise<void> {
    const checked = this.schema.parse(value);
    const text = `${JSON.stringify(checked, null, 2)}\n`;
    await writeFileAtomic(this.file, text, { mode: 0o600 });
    // What was just written passed the schema: it is the new last good copy, so a
    // later corruption rolls back to this edit, not to the state at start-up.
    await writeFileAtomic(this.backupFile, text, { mode: 0o600 });
  }

  private read(file: string): z.output<S> {
    return this.schema.parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  private problemWith(file: string): string | undefined {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      return error instanceof SyntaxError ? 'it is not valid JSON' : `it could not be read: ${(error as Error).message}`;
    }
    const result = this.schema.safeParse(data);
    if (result.success) return undefined;
    const first = result.error.issues[0];
    return `${first?.path.join('.') || 'its content'}: ${first?.message ?? 'invalid'}`;
  }

  private moveAside(): string {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const target = `${this.file}.corrupt-${stamp}`;
    renameSync(this.file, target);
    return target;
  }
}

/** Copies keep owner-only permissions whatever mode the source had: these files hold host keys and hashes. */
function copyPrivate(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, 0o600);
}

/** Opens a store in the data folder and loads it, telling the user about any recovery. */
export function openStore<S extends z.ZodType>(
  dataDir: string,
  name: string,
  schema: S,
  defaults: () => z.output<S>,
  notices: { post(notice: { level: 'warning'; message: string }): void },
): { store: JsonFileStore<S>; value: z.output<S> } {
  const store = new JsonFileStore(path.join(dataDir, name), schema, defaults);
  const loaded = store.load();
  if (loaded.recovery) notices.post({ level: 'warning', message: loaded.recovery });
  return { store, value: loaded.value };
}
