// The list of subcommands, in the order `bramble --help` shows them.
import type { Command } from '../command';
import { customizeCommand } from './customize';
import { drivesCommand } from './drives';
import { flashCommand } from './flash';
import { fleetCommand } from './fleet';
import { logsCommand } from './logs';
import { powerCommand } from './power';
import { provisionCommand } from './provision';
import { runCommand } from './run';
import { statusCommand } from './status';
import { versionCommand } from './version';

export const commands: Command[] = [flashCommand, customizeCommand, drivesCommand, fleetCommand, statusCommand, runCommand, provisionCommand, powerCommand, logsCommand, versionCommand];
