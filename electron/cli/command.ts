// What every `bramble` subcommand looks like, and the conventions they share:
// `--json` prints one machine-readable document on stdout, errors go to stderr
// as one plain sentence, and the exit status is non-zero on any failure.
import type { ParseArgsConfig } from 'node:util';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext extends CliIo {
  json: boolean;
  dataDir: string;
  /** Prints either the JSON document or the human text, following --json. */
  print(value: unknown, human: () => string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  allowPositionals?: boolean;
  run(ctx: CommandContext, values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

/** A mistake in how the command was called: exit status 2, like most Unix tools. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
