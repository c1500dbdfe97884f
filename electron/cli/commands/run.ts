// `bramble run -- CMD`: one command on every node (or a group), output
// prefixed by node as it arrives, a recap at the end, exit 1 if any failed.
import { createServices } from '../../services';
import { UsageError, type Command } from '../command';
import { runRecap } from '../fleet-text';
import { connectSelected } from '../one-node';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a shell command on every node (or a group) and show each output',
  usage: 'bramble run [--group G] [--node NAME ...] [--timeout SECONDS] [--concurrency N] [--json] -- CMD',
  allowPositionals: true,
  options: { group: { type: 'string' }, node: { type: 'string', multiple: true }, timeout: { type: 'string' }, concurrency: { type: 'string' } },
  async run(ctx, values, positionals) {
    if (positionals.length === 0) throw new UsageError('Give the command after --, e.g. bramble run -- uptime');
    const command = positionals.join(' ');
    const services = createServices({ dataDir: ctx.dataDir, transport: 'electron' });
    try {
      const group = values.group as string | undefined;
      const { names } = await connectSelected(services, { group, only: values.node as string[] | undefined });
      if (names.length === 0) throw new UsageError(group ? `No node is in the group ${group}.` : 'No node matches.');
      const width = Math.max(...names.map((n) => n.length));
      const partial = new Map<string, string>();
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      const results = await services.fleet.run({
        nodes: names,
        command,
        timeoutMs: Number(values.timeout ?? 60) * 1000,
        concurrency: Number(values.concurrency ?? 32),
        signal: abort.signal,
        onOutput: ctx.json
          ? undefined
          : (node, _stream, chunk) => {
              // Whole lines only, each prefixed, so interleaved output stays readable.
              const text = (partial.get(node) ?? '') + chunk;
              const lines = text.split('\n');
              partial.set(node, lines.pop()!);
              for (const l of lines) ctx.stdout(`${node.padEnd(width)} | ${l}\n`);
            },
      });
      process.off('SIGINT', onSignal);
      for (const [node, rest] of partial) if (rest) ctx.stdout(`${node.padEnd(width)} | ${rest}\n`);
      ctx.print({ command, results }, () => runRecap(results));
      return results.every((r) => r.status === 'ok') ? 0 : 1;
    } finally {
      await services.dispose();
    }
  },
};
