// `bramble status`: connect to every node and report how each one is.
import { createServices } from '../../services';
import type { Command } from '../command';
import { stateTable } from '../fleet-text';
import { connectSelected } from '../one-node';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Connect to every node and report its state (exit 1 when any is not online)',
  usage: 'bramble status [--group G] [--timeout SECONDS] [--json]',
  options: { group: { type: 'string' }, timeout: { type: 'string' } },
  async run(ctx, values) {
    const services = createServices({ dataDir: ctx.dataDir, transport: 'electron' });
    try {
      const { names } = await connectSelected(services, { group: values.group as string | undefined, timeoutMs: Number(values.timeout ?? 15) * 1000 });
      await services.fleet.refreshVitals(names);
      const states = names.map((n) => services.fleet.stateOf(n)!);
      ctx.print({ nodes: states }, () => stateTable(states));
      return states.every((s) => s.status === 'online') ? 0 : 1;
    } finally {
      await services.dispose();
    }
  },
};
