// Parses argv, finds the subcommand and runs it with the shared conventions.
// Kept apart from the entry file so tests can run the CLI in-process too.
import { parseArgs } from 'node:util';
import { UserError } from '../services/user-error';
import { resolveDataDir } from '../services/app/data-dir';
import { UsageError, type CliIo, type Command, type CommandContext } from './command';
import { commands } from './commands';

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Bramble: flash, boot, watch and provision a Raspberry Pi cluster.',
    '',
    'Usage: bramble <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  Show help for a command`,
    '',
    'Options for every command:',
    '  --json      print machine-readable JSON on stdout',
    '  -h, --help  show help',
    '',
    'Data folder: BRAMBLE_HOME, or the platform default (see `bramble version`).',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    io.stdout(`${helpText()}\n`);
    return first === undefined ? 2 : 0;
  }
  if (first === '--version') return runCli(['version', ...rest], io);
  if (first === 'help') return runCli([rest[0]!, '--help'], io);

  const command = commands.find((c) => c.name === first);
  try {
    if (!command) throw new UsageError(`There is no command called "${first}"; run bramble --help for the list.`);
    return await runCommand(command, rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

async function runCommand(command: Command, args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\.$/, '')}; usage: ${command.usage}`);
  }
  if (parsed.values.help) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  const json = parsed.values.json === true;
  const ctx: CommandContext = {
    ...io,
    json,
    dataDir: resolveDataDir(io.env),
    print(value, human) {
      io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
  };
  return command.run(ctx, parsed.values as Record<string, unknown>, parsed.positionals);
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr(`bramble: ${error.message}\n`);
    return 2;
  }
  if (error instanceof UserError) {
    io.stderr(`bramble: ${error.message}\n`);
    return 1;
  }
  io.stderr(`bramble: an internal error stopped the command: ${(error as Error)?.message ?? String(error)}\n`);
  return 1;
}
