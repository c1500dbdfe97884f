// user and group: account state from getent (one call reads passwd, group and
// shadow), changes with useradd/usermod/userdel and groupadd/groupmod/groupdel.
import { z } from 'zod';
import { flag, optFlag, strList } from './arg-types';
import { runSteps } from './files';
import { ensureOk, ModuleFailure, type ModuleContext, type ModuleDef } from './types';

const NAME = /^[a-z_][a-z0-9_-]*\$?$/;

const userArgs = z
  .object({
    name: z.string().regex(NAME, 'a Unix user name'),
    state: z.enum(['present', 'absent']).default('present'),
    uid: z.coerce.number().int().optional(),
    group: z.string().optional(),
    groups: strList.optional(),
    append: flag(false),
    shell: z.string().optional(),
    home: z.string().optional(),
    comment: z.string().optional(),
    password: z.string().optional(),
    update_password: z.enum(['always', 'on_create']).default('always'),
    system: flag(false),
    create_home: flag(true),
    remove: flag(false),
    force: optFlag,
  })
  .strict();

const groupArgs = z
  .object({
    name: z.string().regex(NAME, 'a group name'),
    state: z.enum(['present', 'absent']).default('present'),
    gid: z.coerce.number().int().optional(),
    system: flag(false),
  })
  .strict();

// $1 name: the passwd line, the whole group database, the shadow line (readable as root only).
const READ = 'getent passwd "$1"; echo ---; getent group; echo ---; getent shadow "$1" 2>/dev/null; exit 0';

interface Accounts {
  passwd?: string[];
  groups: { name: string; gid: string; members: string[] }[];
  shadowHash?: string;
}

async function readAccounts(ctx: ModuleContext, name: string): Promise<Accounts> {
  const r = ensureOk(await ctx.run(['sh', '-c', READ, 'sh', name]), `looking up ${name}`);
  const [pw = '', gr = '', sh = ''] = r.stdout.split('---\n');
  const pline = pw.trim();
  const groups = gr
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':'))
    .map((f) => ({ name: f[0]!, gid: f[2] ?? '', members: (f[3] ?? '').split(',').filter(Boolean) }));
  const shadow = sh.trim().split(':');
  return { passwd: pline ? pline.split(':') : undefined, groups, shadowHash: shadow.length > 1 ? shadow[1] : undefined };
}

export const user: ModuleDef<typeof userArgs> = {
  name: 'user',
  aliases: ['ansible.builtin.user', 'ansible.legacy.user'],
  argAliases: { user: 'name' },
  args: userArgs,
  freeForm: 'kv',
  async run(ctx, a) {
    const acc = await readAccounts(ctx, a.name);
    const groupsOf = (names: string[]) => {
      // In check mode a group an earlier task would create does not exist yet: report, do not fail.
      for (const g of names) if (!ctx.check && !acc.groups.some((x) => x.name === g)) throw new ModuleFailure(`Group ${g} does not exist`);
      return names.join(',');
    };
    let steps: string[][] = [];
    if (a.state === 'absent') {
      if (acc.passwd) steps = [['userdel', ...(a.remove ? ['-r'] : []), ...(a.force ? ['-f'] : []), a.name]];
    } else if (!acc.passwd) {
      const argv = ['useradd'];
      if (a.uid !== undefined) argv.push('-u', String(a.uid));
      if (a.group) argv.push('-g', a.group);
      if (a.groups?.length) argv.push('-G', groupsOf(a.groups));
      if (a.home) argv.push('-d', a.home);
      if (a.shell) argv.push('-s', a.shell);
      if (a.comment !== undefined) argv.push('-c', a.comment);
      if (a.password) argv.push('-p', a.password);
      if (a.system) argv.push('-r');
      argv.push(a.create_home ? '-m' : '-M', a.name);
      steps = [argv];
    } else {
      const [, , uid, gid, comment, home, shell] = acc.passwd;
      const argv = ['usermod'];
      if (a.uid !== undefined && String(a.uid) !== uid) argv.push('-u', String(a.uid));
      if (a.group) {
        const g = acc.groups.find((x) => x.name === a.group || x.gid === a.group);
        if (!g) throw new ModuleFailure(`Group ${a.group} does not exist`);
        if (g.gid !== gid) argv.push('-g', a.group);
      }
      if (a.groups) {
        const current = acc.groups.filter((g) => g.members.includes(a.name) && g.gid !== gid).map((g) => g.name);
        const want = a.groups.filter((g) => acc.groups.find((x) => x.name === g)?.gid !== gid);
        const differs = a.append ? want.some((g) => !current.includes(g)) : want.length !== current.length || want.some((g) => !current.includes(g));
        if (differs) argv.push(...(a.append ? ['-a'] : []), '-G', groupsOf(want));
      }
      if (a.home && a.home !== home) argv.push('-d', a.home);
      if (a.shell && a.shell !== shell) argv.push('-s', a.shell);
      if (a.comment !== undefined && a.comment !== comment) argv.push('-c', a.comment);
      if (a.password && a.update_password === 'always' && a.password !== acc.shadowHash) argv.push('-p', a.password);
      if (argv.length > 1) steps = [[...argv, a.name]];
    }
    if (steps.length && !ctx.check) await runSteps(ctx, steps, `${steps[0]![0]} ${a.name}`);
    // The hash never goes into results or events.
    return { changed: steps.length > 0, name: a.name, state: a.state };
  },
};

export const group: ModuleDef<typeof groupArgs> = {
  name: 'group',
  aliases: ['ansible.builtin.group', 'ansible.legacy.group'],
  args: groupArgs,
  freeForm: 'kv',
  async run(ctx, a) {
    const acc = await readAccounts(ctx, a.name);
    const g = acc.groups.find((x) => x.name === a.name);
    let steps: string[][] = [];
    if (a.state === 'absent' && g) steps = [['groupdel', a.name]];
    else if (a.state === 'present' && !g) steps = [['groupadd', ...(a.gid !== undefined ? ['-g', String(a.gid)] : []), ...(a.system ? ['-r'] : []), a.name]];
    else if (a.state === 'present' && g && a.gid !== undefined && String(a.gid) !== g.gid) steps = [['groupmod', '-g', String(a.gid), a.name]];
    if (steps.length && !ctx.check) await runSteps(ctx, steps, `${steps[0]![0]} ${a.name}`);
    return { changed: steps.length > 0, name: a.name, state: a.state };
  },
};
