// `bramble provision PLAYBOOK`: run a playbook on the fleet (Bramble's runner,
// or --ansible for ansible-playbook), with Ansible-style task lines and the
// PLAY RECAP as the last lines; exit 1 when any host failed.
import { existsSync } from 'node:fs';
import type { ProvisionEvent } from '../../services/provision/events';
import { limitHosts } from '../../services/provision/hosts';
import { formatRecap } from '../../services/provision/recap';
import { BUILTIN_PLAYBOOKS } from '../../services/provision/builtin';
import { createServices } from '../../services';
import { UsageError, type Command, type CommandContext } from '../command';

export const provisionCommand: Command = {
  name: 'provision',
  summary: 'Run an Ansible playbook (or a built-in one) on the fleet, with a PLAY RECAP',
  usage: `bramble provision PLAYBOOK [--limit PATTERN] [--check] [--tags T,...] [--skip-tags T,...] [-e KEY=VALUE ...] [--ansible] [--forks N] [--json]
       PLAYBOOK is a file, or a built-in: ${BUILTIN_PLAYBOOKS.map((b) => b.id).join(', ')}`,
  allowPositionals: true,
  options: {
    limit: { type: 'string', short: 'l' },
    check: { type: 'boolean', short: 'C' },
    tags: { type: 'string', short: 't' },
    'skip-tags': { type: 'string' },
    'extra-vars': { type: 'string', short: 'e', multiple: true },
    ansible: { type: 'boolean' },
    forks: { type: 'string', short: 'f' },
  },
  async run(ctx, values, positionals) {
    if (positionals.length !== 1) throw new UsageError(`usage: ${provisionCommand.usage}`);
    const arg = positionals[0]!;
    const playbook = !existsSync(arg) && BUILTIN_PLAYBOOKS.some((b) => b.id === arg) ? `builtin:${arg}` : arg;
    const extraVars: Record<string, string> = {};
    for (const kv of (values['extra-vars'] as string[] | undefined) ?? []) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`-e takes KEY=VALUE, not "${kv}".`);
      extraVars[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const forks = values.forks === undefined ? undefined : Number(values.forks);
    if (forks !== undefined && !(Number.isInteger(forks) && forks >= 1 && forks <= 256)) throw new UsageError(`--forks takes a whole number from 1 to 256, not "${String(values.forks)}".`);
    const tagList = (v: unknown) => (v ? String(v).split(',').map((t) => t.trim()).filter(Boolean) : undefined);
    const services = createServices({ dataDir: ctx.dataDir, transport: 'electron' });
    try {
      const inventory = services.inventory;
      const all = inventory.list().map((n) => n.name);
      const groups = Object.fromEntries(Object.entries(inventory.groups()).filter(([g]) => g !== 'all'));
      const limit = values.limit as string | undefined;
      const names = limit ? limitHosts({ hosts: all, groups }, all, limit) : all;
      if (names.length === 0) throw new UsageError(limit ? `--limit ${limit} matches no node in the fleet.` : 'The fleet is empty.');
      const engine = values.ansible ? 'ansible' : 'bramble';
      if (engine === 'bramble') {
        services.fleet.start();
        await services.fleet.settled(names, 15_000);
      }
      const printer = new TaskPrinter(ctx);
      const off = services.hub.subscribe((event, payload) => {
        if (event === 'provision:event') printer.event((payload as { event: ProvisionEvent }).event);
      });
      const { runId } = services.provision.start({
        playbook,
        nodes: names,
        check: values.check === true,
        engine,
        tags: tagList(values.tags),
        skipTags: tagList(values['skip-tags']),
        extraVars,
        forks,
      });
      const onSignal = () => services.provision.cancel(runId);
      process.once('SIGINT', onSignal);
      const run = await services.provision.wait(runId);
      process.off('SIGINT', onSignal);
      off();
      if (ctx.json) ctx.print(run, () => '');
      else {
        if (run.error) ctx.stderr(`bramble: ${run.error}\n`);
        if (run.recap) ctx.stdout(formatRecap(run.recap));
      }
      return run.state === 'done' ? 0 : run.state === 'cancelled' ? 130 : 1;
    } finally {
      await services.dispose();
    }
  },
};

/** Prints `TASK [name]` once per task and one `status: [host]` line per result, as ansible-playbook does. */
class TaskPrinter {
  private lastTask = '';
  constructor(private readonly ctx: CommandContext) {}
  event(e: ProvisionEvent): void {
    if (this.ctx.json) return;
    if (e.type === 'play-start') this.ctx.stdout(`\nPLAY [${e.play}] ${'*'.repeat(Math.max(3, 70 - e.play.length))}\n`);
    if (e.type !== 'task-result') return;
    if (e.task !== this.lastTask) {
      this.lastTask = e.task;
      this.ctx.stdout(`\nTASK [${e.task}] ${'*'.repeat(Math.max(3, 70 - e.task.length))}\n`);
    }
    const word = e.status === 'failed' && e.ignored ? 'failed (ignored)' : e.status === 'unreachable' ? 'fatal' : e.status;
    this.ctx.stdout(`${word}: [${e.host}]${e.msg && e.status !== 'ok' && e.status !== 'changed' ? ` => ${e.msg}` : ''}\n`);
  }
}
