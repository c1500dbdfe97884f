// copy: a file from `content` or a controller-side `src`, written only when its
// checksum or attributes differ.
import path from 'node:path';
import { z } from 'zod';
import { flag, text } from './arg-types';
import { attrChanges, attrSteps, attrsFrom, fileAttrShape, probeFile, probeOrCreateFile, runSteps, sha1, writeFile, type FileAttrs } from './files';
import { ModuleFailure, type ModuleContext, type ModuleDef, type ModuleResult } from './types';

const args = z
  .object({
    dest: z.string().min(1),
    content: text.optional(),
    src: z.string().optional(),
    force: flag(true),
    ...fileAttrShape,
  })
  .strict();

const INLINE_CONTENT_MAX = 64 * 1024;

/** Put `content` at `dest` if it differs; shared with template. */
export async function placeContent(ctx: ModuleContext, dest: string, content: string, attrs: FileAttrs, force = true): Promise<ModuleResult> {
  const want = sha1(content);
  // Small contents travel with the probe, so a new file costs one round trip; large ones only when they differ.
  const st = !ctx.check && Buffer.byteLength(content) <= INLINE_CONTENT_MAX ? await probeOrCreateFile(ctx, dest, 'sha1', content, attrs) : await probeFile(ctx, dest, 'sha1');
  if (st === 'created') return { changed: true, dest, checksum: want, msg: 'file created' };
  if (st.type === 'directory') throw new ModuleFailure(`${dest} is a directory`);
  const contentDiffers = st.type === 'absent' || (force && st.sha1 !== want);
  if (contentDiffers) {
    if (!ctx.check) await writeFile(ctx, dest, content, attrs);
    return { changed: true, dest, checksum: want, msg: st.type === 'absent' ? 'file created' : 'file replaced' };
  }
  const changes = attrChanges(st, attrs);
  const steps = attrSteps(dest, changes);
  if (steps.length && !ctx.check) await runSteps(ctx, steps, `setting attributes of ${dest}`);
  return { changed: steps.length > 0, dest, checksum: want, ...(steps.length ? { msg: 'attributes changed' } : {}) };
}

export const copy: ModuleDef<typeof args> = {
  name: 'copy',
  aliases: ['ansible.builtin.copy', 'ansible.legacy.copy'],
  args,
  freeForm: 'kv',
  async run(ctx, a) {
    if ((a.content === undefined) === (a.src === undefined)) throw new ModuleFailure('copy needs exactly one of src or content');
    let dest = a.dest;
    let content = a.content;
    if (a.src !== undefined) {
      content = ctx.readLocal(a.src, 'files');
      if (dest.endsWith('/')) dest = dest + path.posix.basename(a.src);
    }
    return placeContent(ctx, dest, content!, attrsFrom(a), a.force);
  },
};
