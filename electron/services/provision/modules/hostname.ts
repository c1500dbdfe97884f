// hostname: the static and running name through hostnamectl (systemd, as on
// Raspberry Pi OS), checked first with `hostname` and `hostnamectl --static`.
import { z } from 'zod';
import { ensureOk, ModuleFailure, type ModuleDef } from './types';

const args = z
  .object({
    name: z.string().min(1),
    use: z.enum(['systemd', 'debian']).optional(),
  })
  .strict();

const READ = 'hostname; hostnamectl --static hostname';

export const hostname: ModuleDef<typeof args> = {
  name: 'hostname',
  aliases: ['ansible.builtin.hostname', 'ansible.legacy.hostname'],
  args,
  freeForm: 'kv',
  async run(ctx, a) {
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,62})$/.test(a.name)) throw new ModuleFailure(`not a valid hostname: ${JSON.stringify(a.name)}`);
    const r = ensureOk(await ctx.run(['sh', '-c', READ]), 'reading the hostname');
    const [current = '', stat = ''] = r.stdout.split('\n').map((s) => s.trim());
    const facts = { ansible_hostname: a.name.split('.')[0], ansible_nodename: a.name, ansible_fqdn: a.name };
    if (current === a.name && stat === a.name) return { changed: false, name: a.name, ansible_facts: facts };
    if (!ctx.check) {
      // set-hostname sets the static name (the one a reboot keeps) and the running one.
      ensureOk(await ctx.run(['hostnamectl', 'set-hostname', a.name]), 'hostnamectl set-hostname');
    }
    return { changed: true, name: a.name, msg: `hostname changed from ${current} to ${a.name}`, ansible_facts: facts, diff: { before: `hostname = ${current}\n`, after: `hostname = ${a.name}\n` } };
  },
};
