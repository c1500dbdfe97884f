// The list of subcommands, in the order `bramble --help` shows them.
import type { Command } from '../command';
import { versionCommand } from './version';

export const commands: Command[] = [versionCommand];
