// `bramble version`: the version of Bramble and of the runtime it runs on.
import pkg from '../../../package.json' with { type: 'json' };
import type { Command } from '../command';

export const versionCommand: Command = {
  name: 'version',
  summary: "Print Bramble's version",
  usage: 'bramble version [--json]',
  async run(ctx) {
    const info = { name: 'bramble', version: pkg.version, node: process.versions.node, platform: process.platform, arch: process.arch, dataDir: ctx.dataDir };
    ctx.print(info, () => `bramble ${info.version} (node ${info.node}, ${info.platform}-${info.arch})\ndata folder: ${info.dataDir}`);
    return 0;
  },
};
