// authorized_key: keys in a user's ~/.ssh/authorized_keys matched by key type
// and blob like Ansible (a key whose options or comment differ is rewritten),
// other lines kept in place; the file is only written when a key is missing,
// different, or (state=absent) present.
import { z } from 'zod';
import { flag, text } from './arg-types';
import { probeFile, runSteps, writeFile } from './files';
import { ensureOk, ModuleFailure, type ModuleContext, type ModuleDef } from './types';

const args = z
  .object({
    user: z.string().min(1),
    key: text,
    state: z.enum(['present', 'absent']).default('present'),
    path: z.string().optional(),
    manage_dir: flag(true),
    exclusive: flag(false),
    key_options: z.string().optional(),
    comment: z.string().optional(),
  })
  .strict();

const KEY_TYPES = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

export interface ParsedKey {
  options: string;
  type: string;
  blob: string;
  comment: string;
}

/** One authorized_keys line: [options] type blob [comment]. */
export function parseKey(line: string): ParsedKey | undefined {
  const s = line.trim();
  if (!s || s.startsWith('#')) return undefined;
  // Options may hold quoted spaces; find the key type token to split there.
  const tokens = s.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  const i = tokens.findIndex((t) => KEY_TYPES.test(t));
  if (i < 0 || !tokens[i + 1]) return undefined;
  return { options: tokens.slice(0, i).join(' '), type: tokens[i]!, blob: tokens[i + 1]!, comment: tokens.slice(i + 2).join(' ') };
}

function render(k: ParsedKey): string {
  return [k.options, k.type, k.blob, k.comment].filter(Boolean).join(' ');
}

// $1 user: prints the home directory and the primary group.
const HOME_OF = 'getent passwd "$1" | cut -d: -f6; id -gn -- "$1"';

async function userHome(ctx: ModuleContext, user: string): Promise<{ home: string; group: string }> {
  const r = ensureOk(await ctx.run(['sh', '-c', HOME_OF, 'sh', user]), `looking up user ${user}`);
  const [home = '', group = ''] = r.stdout.split('\n').map((s) => s.trim());
  if (!home) throw new ModuleFailure(`Failed to lookup user ${user}: no such user`);
  return { home, group };
}

/** The new file content, given the old one and the keys the task names. Exported for unit tests. */
export function applyKeys(existing: string, keyText: string, o: { state: 'present' | 'absent'; exclusive: boolean; keyOptions?: string; comment?: string }): { content: string; changed: boolean } {
  const wanted = keyText
    .split('\n')
    .map(parseKey)
    .filter((k): k is ParsedKey => !!k)
    .map((k) => ({ ...k, options: o.keyOptions ?? k.options, comment: o.comment ?? k.comment }));
  if (!wanted.length) throw new ModuleFailure(`invalid key specified: ${keyText.slice(0, 80)}`);
  const lines = existing.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: string[] = [];
  const placed = new Set<string>();
  for (const line of lines) {
    const k = parseKey(line);
    const want = k && wanted.find((w) => w.type === k.type && w.blob === k.blob);
    if (!k) {
      if (!o.exclusive || line.trim().startsWith('#') || !line.trim()) out.push(line);
      continue;
    }
    if (o.state === 'absent') {
      if (!want) out.push(line);
      continue;
    }
    if (want) {
      if (!placed.has(k.blob)) out.push(render(want));
      placed.add(k.blob);
    } else if (!o.exclusive) out.push(line);
  }
  if (o.state === 'present') for (const w of wanted) if (!placed.has(w.blob)) out.push(render(w));
  const content = out.length ? out.join('\n') + '\n' : '';
  return { content, changed: content !== (lines.length ? lines.join('\n') + '\n' : '') };
}

export const authorizedKey: ModuleDef<typeof args> = {
  name: 'authorized_key',
  aliases: ['ansible.posix.authorized_key', 'ansible.builtin.authorized_key'],
  args,
  freeForm: 'kv',
  async run(ctx, a) {
    const { home, group } = await userHome(ctx, a.user);
    const file = a.path ?? `${home}/.ssh/authorized_keys`;
    const dir = file.slice(0, file.lastIndexOf('/')) || '/';
    const st = await probeFile(ctx, file, 'content');
    if (st.type !== 'absent' && st.type !== 'file') throw new ModuleFailure(`${file} is not a regular file`);
    const before = st.content ?? '';
    const r = applyKeys(before, a.key, { state: a.state, exclusive: a.exclusive, keyOptions: a.key_options, comment: a.comment });
    if (!r.changed) return { changed: false, user: a.user, key: a.key, path: file };
    if (!ctx.check) {
      // sshd's StrictModes: the directory and file belong to the user and nobody else can write them.
      if (st.type === 'absent' && a.manage_dir) await runSteps(ctx, [['mkdir', '-p', '-m', '700', '--', dir], ['chown', '--', `${a.user}:${group}`, dir]], `creating ${dir}`);
      await writeFile(ctx, file, r.content, st.type === 'absent' ? { mode: '600', owner: a.user, group } : {});
    }
    return { changed: true, user: a.user, key: a.key, path: file, diff: { before, after: r.content } };
  },
};
