// What every inventory reader returns, and the error they throw for a file
// that cannot be read at all (as opposed to entries skipped with a reason).
import type { FleetNode } from '../../../../shared/fleet';
import { UserError } from '../../user-error';

export type GroupVars = Record<string, Record<string, unknown>>;
/** Group → its child groups (Ansible's `children`), so nesting survives a round trip. */
export type GroupChildren = Record<string, string[]>;

export interface SkippedEntry {
  /** The host, group or line as the file names it. */
  entry: string;
  reason: string;
}

/** An entry whose name was not a usable node name and got one derived from it. */
export interface RenamedEntry {
  entry: string;
  name: string;
  reason: string;
}

export interface InventoryImport {
  nodes: FleetNode[];
  groupVars: GroupVars;
  groupChildren: GroupChildren;
  skipped: SkippedEntry[];
  renamed: RenamedEntry[];
}

export interface ImportOptions {
  /** The user for nodes whose inventory names none (Ansible would use the local user). */
  defaultUser: string;
  /** Shown in errors; the file the text came from. */
  file?: string;
  /** For `~` in key paths; the current user's home by default. */
  homeDir?: string;
}

/** The file as a whole cannot be used: names the file and line, and what is wrong. */
export class InventoryFormatError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(`${file}${line ? `, line ${line}` : ''}: ${problem}`);
    this.name = 'InventoryFormatError';
  }
}

/** Everything an export writes: the nodes and the groups' own settings. */
export interface InventoryDocument {
  nodes: FleetNode[];
  groupVars?: GroupVars;
  groupChildren?: GroupChildren;
}
