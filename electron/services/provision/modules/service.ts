// service / systemd: unit state and boot enablement through systemctl. One
// `systemctl show` reads both; start/stop/enable/disable run only when they differ.
import { z } from 'zod';
import { optFlag, flag } from './arg-types';
import { runSteps } from './files';
import { ensureOk, ModuleFailure, type ModuleDef } from './types';

const args = z
  .object({
    name: z.string().min(1).optional(),
    state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional(),
    enabled: optFlag,
    daemon_reload: flag(false),
    masked: optFlag,
  })
  .strict();

const UNIT = /^[A-Za-z0-9:_.@\\-]+$/;

async function runService(ctx: Parameters<ModuleDef['run']>[0], a: z.infer<typeof args>) {
  if (a.name !== undefined && !UNIT.test(a.name)) throw new ModuleFailure(`not a unit name: ${JSON.stringify(a.name)}`);
  if (!a.name) {
    if (!a.daemon_reload) throw new ModuleFailure('name is required unless daemon_reload is set');
    if (!ctx.check) await runSteps(ctx, [['systemctl', 'daemon-reload']], 'systemctl daemon-reload');
    return { changed: true, msg: 'daemon reloaded' };
  }
  const r = ensureOk(await ctx.run(['systemctl', 'show', '--property=ActiveState,UnitFileState,LoadState', '--', a.name]), `systemctl show ${a.name}`);
  const props = Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]));
  if (props.LoadState === 'not-found') throw new ModuleFailure(`Could not find the requested service ${a.name}: host`);
  const active = ['active', 'activating', 'reloading'].includes(props.ActiveState ?? '');
  const enabled = ['enabled', 'enabled-runtime', 'alias', 'static', 'indirect'].includes(props.UnitFileState ?? '');
  const masked = (props.UnitFileState ?? '').startsWith('masked');
  const steps: string[][] = [];
  if (a.daemon_reload) steps.push(['systemctl', 'daemon-reload']);
  if (a.masked !== undefined && a.masked !== masked) steps.push(['systemctl', a.masked ? 'mask' : 'unmask', '--', a.name]);
  if (a.enabled !== undefined && a.enabled !== enabled) steps.push(['systemctl', a.enabled ? 'enable' : 'disable', '--', a.name]);
  const verb = a.state === 'started' ? (active ? undefined : 'start') : a.state === 'stopped' ? (active ? 'stop' : undefined) : a.state === 'restarted' ? 'restart' : a.state === 'reloaded' ? 'reload' : undefined;
  if (verb) steps.push(['systemctl', verb, '--', a.name]);
  // daemon-reload alone does not count as a change to the unit, like Ansible.
  const changed = steps.some((s) => s[1] !== 'daemon-reload');
  if (steps.length && !ctx.check) await runSteps(ctx, steps, `systemctl on ${a.name}`);
  return { changed, name: a.name, state: a.state ?? (active ? 'started' : 'stopped'), enabled: a.enabled ?? enabled, status: props };
}

export const service: ModuleDef<typeof args> = {
  name: 'service',
  aliases: ['ansible.builtin.service', 'ansible.legacy.service'],
  argAliases: { service: 'name' },
  args,
  freeForm: 'kv',
  run: runService,
};

export const systemd: ModuleDef<typeof args> = {
  name: 'systemd',
  aliases: ['ansible.builtin.systemd', 'ansible.legacy.systemd', 'systemd_service', 'ansible.builtin.systemd_service'],
  argAliases: { service: 'name', unit: 'name' },
  args,
  freeForm: 'kv',
  run: runService,
};
