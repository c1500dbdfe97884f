// apt: Debian's own interfaces. State from `dpkg-query -W -f '${Status} ${Version}'`,
// changes with `apt-get` under DEBIAN_FRONTEND=noninteractive; `latest` asks
// `apt-get -s install` which packages would be (up|down)graded.
import { z } from 'zod';
import { flag, optFlag, strList } from './arg-types';
import { ensureOk, ModuleFailure, type ModuleContext, type ModuleDef } from './types';

const args = z
  .object({
    name: strList.optional(),
    pkg: strList.optional(),
    state: z.enum(['present', 'installed', 'absent', 'removed', 'latest']).default('present'),
    update_cache: flag(false),
    cache_valid_time: z.coerce.number().optional(),
    install_recommends: optFlag,
    purge: flag(false),
    autoremove: flag(false),
  })
  .strict();

const NAME = /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?(=[A-Za-z0-9.+:~-]+)?$/;
const NONINTERACTIVE = ['env', 'DEBIAN_FRONTEND=noninteractive', 'NEEDRESTART_MODE=a'];

/** Installed packages among `names`, by dpkg's status field. */
async function installed(ctx: ModuleContext, names: string[]): Promise<Map<string, string>> {
  const r = await ctx.run(['dpkg-query', '-W', '-f', '${binary:Package} ${Status} ${Version}\\n', '--', ...names.map(bare)]);
  // Exit 1 only says some names are unknown to dpkg: those are not installed.
  if (r.code !== 0 && r.code !== 1) ensureOk(r, 'dpkg-query');
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+?)(?::\S+)? (\S+) (\S+) (\S+) ?(.*)$/.exec(line.trim());
    if (m && m[4] === 'installed') out.set(m[1]!, m[5] ?? '');
  }
  return out;
}

function bare(p: string): string {
  return p.replace(/=.*$/, '').replace(/:.*$/, '');
}

export const apt: ModuleDef<typeof args> = {
  name: 'apt',
  aliases: ['ansible.builtin.apt', 'ansible.legacy.apt', 'apt_get'],
  argAliases: { package: 'name' },
  args,
  freeForm: 'kv',
  async run(ctx, a) {
    const names = [...(a.name ?? []), ...(a.pkg ?? [])];
    for (const n of names) if (!NAME.test(n)) throw new ModuleFailure(`not a Debian package name: ${JSON.stringify(n)}`);
    if (!names.length && !a.update_cache) throw new ModuleFailure('apt needs name or update_cache');
    const recommends = a.install_recommends === undefined ? [] : a.install_recommends ? ['--install-recommends'] : ['--no-install-recommends'];
    let cacheUpdated = false;
    // cache_valid_time: skip the update when the package lists are younger than that many seconds.
    let fresh = false;
    if (a.update_cache && a.cache_valid_time !== undefined) {
      const r = await ctx.run(['sh', '-c', 'stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0; date +%s']);
      const [mtime = 0, now = 0] = r.stdout.trim().split('\n').map(Number);
      fresh = now - mtime < a.cache_valid_time;
    }
    if (a.update_cache && !fresh && !ctx.check) {
      ensureOk(await ctx.run([...NONINTERACTIVE, 'apt-get', 'update', '-q']), 'apt-get update');
      cacheUpdated = true;
    }
    if (!names.length) return { changed: cacheUpdated, cache_updated: cacheUpdated, msg: cacheUpdated ? 'cache updated' : 'cache would be updated' };
    const state = a.state === 'installed' ? 'present' : a.state === 'removed' ? 'absent' : a.state;
    let todo: string[];
    if (state === 'latest') {
      const sim = ensureOk(await ctx.run([...NONINTERACTIVE, 'apt-get', '-s', '-y', ...recommends, 'install', ...names]), 'apt-get -s install');
      todo = [...sim.stdout.matchAll(/^Inst (\S+)/gm)].map((m) => m[1]!);
    } else {
      const have = await installed(ctx, names);
      todo = state === 'present' ? names.filter((n) => !have.has(bare(n))) : names.filter((n) => have.has(bare(n)));
    }
    if (!todo.length) return { changed: false, cache_updated: cacheUpdated, msg: 'nothing to do' };
    if (!ctx.check) {
      const argv =
        state === 'absent'
          ? [...NONINTERACTIVE, 'apt-get', '-y', '-q', ...(a.purge ? ['--purge'] : []), ...(a.autoremove ? ['--autoremove'] : []), 'remove', ...todo]
          : [...NONINTERACTIVE, 'apt-get', '-y', '-q', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', ...recommends, 'install', ...todo];
      const r = ensureOk(await ctx.run(argv, { timeoutMs: 30 * 60_000 }), `apt-get ${state === 'absent' ? 'remove' : 'install'}`);
      return { changed: true, cache_updated: cacheUpdated, stdout: r.stdout, stderr: r.stderr, msg: `${state === 'absent' ? 'removed' : 'installed'}: ${todo.join(' ')}` };
    }
    return { changed: true, cache_updated: cacheUpdated, msg: `would ${state === 'absent' ? 'remove' : 'install'}: ${todo.join(' ')}` };
  },
};
