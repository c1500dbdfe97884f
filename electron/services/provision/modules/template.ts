// template: render a controller-side Jinja template with the host's variables,
// then place it like copy.
import { z } from 'zod';
import { flag, text } from './arg-types';
import { placeContent } from './copy';
import { attrsFrom, fileAttrShape } from './files';
import type { ModuleDef } from './types';

const args = z
  .object({
    src: z.string().min(1),
    dest: z.string().min(1),
    force: flag(true),
    ...fileAttrShape,
  })
  .strict();

export const template: ModuleDef<typeof args> = {
  name: 'template',
  aliases: ['ansible.builtin.template', 'ansible.legacy.template'],
  args,
  freeForm: 'kv',
  async run(ctx, a) {
    const content = ctx.render(ctx.readLocal(a.src, 'templates'));
    return placeContent(ctx, a.dest, content, attrsFrom(a), a.force);
  },
};
