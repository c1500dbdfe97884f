// `bramble logs NODE`: a node's journal (or kernel log) over SSH, one readable
// line per entry; -f keeps following until Ctrl-C.
import { formatLogEntry } from '../../../shared/logs/log-format';
import { createServices } from '../../services';
import { followLog } from '../../services/logs/follow-log';
import { UsageError, type Command } from '../command';
import { connectOne } from '../one-node';

export const logsCommand: Command = {
  name: 'logs',
  summary: "Show a node's journal or kernel log (-f follows)",
  usage: 'bramble logs NODE [-n LINES] [-f] [-k] [--unit UNIT] [--priority 0-7] [--json]',
  allowPositionals: true,
  options: {
    lines: { type: 'string', short: 'n' },
    follow: { type: 'boolean', short: 'f' },
    kernel: { type: 'boolean', short: 'k' },
    unit: { type: 'string', short: 'u' },
    priority: { type: 'string', short: 'p' },
  },
  async run(ctx, values, positionals) {
    if (positionals.length !== 1) throw new UsageError(`usage: ${logsCommand.usage}`);
    const lines = values.lines === undefined ? 50 : Number(values.lines);
    if (!Number.isInteger(lines) || lines < 0) throw new UsageError('-n takes a whole number of lines.');
    const priority = values.priority === undefined ? undefined : Number(values.priority);
    if (priority !== undefined && !(Number.isInteger(priority) && priority >= 0 && priority <= 7)) throw new UsageError('--priority is 0 (emerg) to 7 (debug).');
    const services = createServices({ dataDir: ctx.dataDir, transport: 'electron' });
    const fleet = await connectOne(services, positionals[0]!).catch(async (e) => {
      await services.dispose();
      throw e;
    });
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    try {
      await followLog(fleet.execFor(positionals[0]!), {
        node: positionals[0],
        kernel: values.kernel === true,
        unit: values.unit as string | undefined,
        priority,
        lines,
        follow: values.follow === true,
        signal: abort.signal,
        onEntries: (entries) => {
          for (const e of entries) ctx.stdout(ctx.json ? `${JSON.stringify(e)}\n` : `${formatLogEntry(e)}\n`);
        },
      });
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      fleet.stop();
      await services.dispose();
    }
  },
};
