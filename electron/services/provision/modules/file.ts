// file: directories, links, removal, touch and attributes; one probe, then one
// round trip with every step that is needed (a missing directory is made in the
// probe's own round trip).
import { z } from 'zod';
import { flag } from './arg-types';
import { attrChanges, attrSteps, attrsFrom, fileAttrShape, probeFile, probeOrMakeDirectory, runSteps, type FileState } from './files';
import { ModuleFailure, type ModuleContext, type ModuleDef, type ModuleResult } from './types';

const args = z
  .object({
    path: z.string().min(1),
    state: z.enum(['file', 'directory', 'absent', 'touch', 'link']).optional(),
    src: z.string().optional(),
    force: flag(false),
    follow: flag(true),
    ...fileAttrShape,
  })
  .strict();

export const file: ModuleDef<typeof args> = {
  name: 'file',
  aliases: ['ansible.builtin.file', 'ansible.legacy.file'],
  argAliases: { dest: 'path', name: 'path' },
  args,
  freeForm: 'kv',
  async run(ctx, a) {
    const attrs = attrsFrom(a);
    if (a.state === 'directory' && !ctx.check) {
      // The common first-run case, a directory that is not there yet, in one round trip.
      const made = await probeOrMakeDirectory(ctx, a.path, attrs.mode);
      if (made === 'created') {
        await runSteps(ctx, attrSteps(a.path, { owner: attrs.owner, group: attrs.group }), `directory ${a.path}`);
        return { changed: true, path: a.path, state: 'directory', msg: 'directory created' };
      }
      return converge(ctx, a, made);
    }
    return converge(ctx, a, await probeFile(ctx, a.path));
  },
};

/** The steps from what is at the path to what the task asks for, run in one round trip. */
async function converge(ctx: ModuleContext, a: z.infer<typeof args>, st: FileState): Promise<ModuleResult> {
  const attrs = attrsFrom(a);
  const state = a.state ?? (st.type === 'directory' ? 'directory' : st.type === 'link' ? 'link' : 'file');
  const steps: string[][] = [];
  let msg = '';
  switch (state) {
    case 'absent':
      if (st.type !== 'absent') {
        steps.push(['rm', '-rf', '--', a.path]);
        msg = 'removed';
      }
      break;
    case 'file':
      if (st.type === 'absent') throw new ModuleFailure(`file (${a.path}) is absent, cannot continue`);
      if (st.type !== 'file' && !(st.type === 'link' && a.follow)) throw new ModuleFailure(`${a.path} is a ${st.type}, not a file`);
      steps.push(...attrSteps(a.path, attrChanges(st, attrs)));
      break;
    case 'directory':
      if (st.type === 'absent') {
        // mkdir -m sets the mode of the new leaf in the same process (parents get the umask's, as with Ansible's default).
        steps.push(['mkdir', '-p', ...(attrs.mode ? ['-m', attrs.mode] : []), '--', a.path], ...attrSteps(a.path, { owner: attrs.owner, group: attrs.group }));
        msg = 'directory created';
      } else if (st.type !== 'directory') throw new ModuleFailure(`${a.path} already exists as a ${st.type}`);
      else steps.push(...attrSteps(a.path, attrChanges(st, attrs)));
      break;
    case 'touch':
      // Ansible reports touch as a change every time (it updates the timestamps).
      steps.push(['touch', '--', a.path], ...attrSteps(a.path, st.type === 'absent' ? attrs : attrChanges(st, attrs)));
      break;
    case 'link': {
      if (!a.src) throw new ModuleFailure('src is required for state=link');
      if (st.type !== 'link' || st.linkTarget !== a.src) {
        if (st.type === 'directory' || (st.type === 'file' && !a.force)) throw new ModuleFailure(`refusing to convert from ${st.type} to symlink for ${a.path}`);
        steps.push(['ln', '-sfn', '--', a.src, a.path]);
        msg = 'link created';
      }
      steps.push(...attrSteps(a.path, st.type === 'link' ? attrChanges(st, { owner: attrs.owner, group: attrs.group }) : { owner: attrs.owner, group: attrs.group }, { noDeref: true }));
      break;
    }
  }
  if (steps.length && !ctx.check) await runSteps(ctx, steps, `${state} ${a.path}`);
  return { changed: steps.length > 0, path: a.path, state, ...(msg ? { msg } : {}) };
}
