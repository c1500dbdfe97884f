// `bramble drives`: the drives Bramble could write, with their safety verdicts.
import { formatBytes } from '../../../shared/drives';
import { createServices } from '../../services';
import type { Command } from '../command';

export const drivesCommand: Command = {
  name: 'drives',
  summary: 'List the drives Bramble can write, with safety verdicts',
  usage: 'bramble drives [--image PATH] [--all] [--json]',
  options: { image: { type: 'string' }, all: { type: 'boolean' } },
  async run(ctx, values) {
    const services = createServices({ dataDir: ctx.dataDir, transport: 'electron' });
    const all = values.all === true;
    const drives = await services.drives.view({ imagePath: values.image as string | undefined, showSystem: all, showVirtual: true });
    ctx.print({ drives }, () => {
      if (drives.length === 0) return all ? 'No drives found.' : 'No drives found. Insert an SD card (system drives are hidden; --all shows them).';
      return drives
        .map((d) => {
          const size = d.size === null ? 'no media' : formatBytes(d.size);
          const flags = d.verdicts.map((v) => `${v.level}: ${v.message}`);
          return [`${d.device}  ${size}  ${d.description}${d.isLoop ? ' [virtual]' : ''}`, ...flags.map((f) => `    ${f}`)].join('\n');
        })
        .join('\n');
    });
    await services.dispose();
    return 0;
  },
};
