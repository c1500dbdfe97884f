// `bramble customize`: first-boot settings for people who flash with another
// tool. A raw .img is changed in place; a compressed image is written out to
// --output first. The node's host key is recorded like for a flashed card.
import { UsageError, type Command } from '../command';
import { BOOT_OPTIONS, BOOT_USAGE, bootSettingsFrom } from '../boot-options';
import { createServices } from '../../services';
import { inspectImage } from '../../services/images/inspect-image';
import { UserError } from '../../services/user-error';
import { startInProcessWriter } from '../../services/flash/in-process-writer';

export const customizeCommand: Command = {
  name: 'customize',
  summary: 'Put first-boot settings on an image file (for flashing with another tool)',
  usage: `bramble customize --image FILE [--output FILE] ${BOOT_USAGE} [--json]`,
  options: { image: { type: 'string' }, output: { type: 'string' }, ...BOOT_OPTIONS },
  async run(ctx, values) {
    const image = values.image as string | undefined;
    if (!image) throw new UsageError('Name the image with --image FILE.');
    const settings = await bootSettingsFrom(values, ctx);
    if (!settings) throw new UsageError('Give at least one first-boot option, such as --hostname or --ssh-key.');
    const info = await inspectImage(image);
    const output = (values.output as string | undefined) ?? (info.format === 'raw' ? info.path : undefined);
    if (!output) throw new UserError(`${info.name} is compressed; name a file to write the customized image to with --output.`);
    const services = createServices({ dataDir: ctx.dataDir, transport: 'electron', startWriter: startInProcessWriter });
    try {
      const job =
        output === info.path
          ? await services.flash.customizeInPlace(info.path, settings)
          : await services.flash.wait((await services.flash.start({ image, targets: [output], boot: { settings } })).jobId);
      const card = job.cards?.[0];
      ctx.print(job, () =>
        job.state === 'done' && card
          ? `${output}: first boot as ${card.hostname} (${card.format}); host key ${card.fingerprint} recorded.`
          : `${output}: ${job.targets[0]?.error ?? job.error ?? job.state}`,
      );
      return job.state === 'done' ? 0 : 1;
    } finally {
      await services.dispose();
    }
  },
};
