// The list of subcommands, in the order `bramble --help` shows them.
import type { Command } from '../command';
import { customizeCommand } from './customize';
import { drivesCommand } from './drives';
import { flashCommand } from './flash';
import { versionCommand } from './version';

export const commands: Command[] = [flashCommand, customizeCommand, drivesCommand, versionCommand];
