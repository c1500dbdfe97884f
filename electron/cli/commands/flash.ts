// `bramble flash`: write an image to one or more cards (or image files),
// verified, with a progress line per card. Erasing needs --yes, or a typed
// confirmation when a person is at the terminal.
import { createInterface } from 'node:readline/promises';
import type { FlashJob } from '../../../shared/contract';
import { formatBytes } from '../../../shared/drives';
import { createServices } from '../../services';
import { ejectDrive } from '../../services/drives/eject';
import { UserError } from '../../services/user-error';
import { startInProcessWriter } from '../../services/flash/in-process-writer';
import { needsElevation } from '../../services/flash/writer-client';
import { BOOT_OPTIONS, BOOT_USAGE, bootSettingsFrom } from '../boot-options';
import { UsageError, type Command, type CommandContext } from '../command';

export const flashCommand: Command = {
  name: 'flash',
  summary: 'Write an image to SD cards (or image files) and verify them',
  usage: `bramble flash --image PATH --drive DEV [--drive DEV ...] [--yes] [--eject] [--allow-system-drive DEV] [--json] ${BOOT_USAGE}`,
  options: {
    image: { type: 'string' },
    drive: { type: 'string', multiple: true },
    yes: { type: 'boolean', short: 'y' },
    eject: { type: 'boolean' },
    'allow-system-drive': { type: 'string', multiple: true },
    ...BOOT_OPTIONS,
  },
  async run(ctx, values) {
    const image = values.image as string | undefined;
    const targets = (values.drive as string[] | undefined) ?? [];
    if (!image) throw new UsageError('Name the image with --image PATH.');
    if (targets.length === 0) throw new UsageError('Name at least one card with --drive DEV.');
    // Without elevation to ask for, the CLI writes in its own process (the
    // writer process exists to hold privileges apart from the app).
    const inProcess = !needsElevation({ image, targets });
    const services = createServices({ dataDir: ctx.dataDir, transport: 'electron', startWriter: inProcess ? startInProcessWriter : undefined });
    try {
      const boot = await bootSettingsFrom(values, ctx);
      if (!values.yes) await confirm(ctx, targets);
      const progress = new ProgressPrinter(ctx);
      services.hub.subscribe((event, payload) => {
        if (event === 'flash:progress') progress.update(payload as FlashJob);
      });
      const started = await services.flash.start({ image, targets, allowSystemDrives: values['allow-system-drive'] as string[] | undefined, boot: boot ? { settings: boot } : undefined });
      const onSignal = () => services.flash.cancel(started.jobId);
      process.once('SIGINT', onSignal);
      const job = await services.flash.wait(started.jobId);
      process.off('SIGINT', onSignal);
      if (values.eject) {
        for (const t of job.targets.filter((t) => t.phase === 'done' && t.target.startsWith('/dev/'))) {
          ctx.stderr(`${await ejectDrive(t.target).catch((e: Error) => e.message)}\n`);
        }
      }
      ctx.print(job, () => summary(job));
      return job.state === 'done' ? 0 : job.state === 'cancelled' ? 130 : 1;
    } finally {
      await services.dispose();
    }
  },
};

async function confirm(ctx: CommandContext, targets: string[]): Promise<void> {
  if (!process.stdin.isTTY) throw new UserError(`Writing erases everything on ${targets.join(', ')}; add --yes to confirm.`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`This erases everything on ${targets.join(', ')}. Type "yes" to continue: `);
  rl.close();
  if (answer.trim().toLowerCase() !== 'yes') throw new UserError('Nothing was written.');
}

class ProgressPrinter {
  private last = 0;
  constructor(private readonly ctx: CommandContext) {}
  update(job: FlashJob): void {
    if (this.ctx.json) return;
    const now = Date.now();
    if (now - this.last < 1000) return;
    this.last = now;
    for (const t of job.targets) {
      const pct = t.total > 0 ? Math.min(100, Math.floor((t.bytes / t.total) * 100)) : 0;
      const speed = t.speed > 0 ? `${formatBytes(t.speed)}/s` : '';
      const eta = t.eta !== undefined ? `${Math.ceil(t.eta)} s left` : '';
      this.ctx.stderr(`${t.target}: ${t.phase} ${pct}% ${speed} ${eta}`.trimEnd() + '\n');
    }
  }
}

function summary(job: FlashJob): string {
  const lines = job.targets.map((t) => {
    const card = job.cards?.find((c) => c.target === t.target);
    const node = card ? `, first boot as ${card.hostname} (${card.format ?? '?'}; host key ${card.fingerprint})` : '';
    return t.phase === 'done' ? `${t.target}: written and verified${node}` : `${t.target}: ${t.phase}${t.error ? ` (${t.error})` : ''}`;
  });
  const ok = job.targets.filter((t) => t.phase === 'done').length;
  const written = job.written && job.written.bytes < job.written.imageBytes ? ` (${formatBytes(job.written.bytes)} of its ${formatBytes(job.written.imageBytes)} hold data; the rest is free space, not written)` : '';
  lines.push(`${job.image.name}: ${ok} of ${job.targets.length} card(s) written and verified in ${job.seconds?.toFixed(1) ?? '?'} s${written}.`);
  return lines.join('\n');
}
