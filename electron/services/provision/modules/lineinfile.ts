// lineinfile: Ansible's algorithm (ansible.builtin.lineinfile, present/absent)
// applied to the file's content read in one command; written back only if it changed.
import { z } from 'zod';
import { pyRegex } from '../template';
import { flag, text } from './arg-types';
import { attrChanges, attrSteps, attrsFrom, fileAttrShape, probeFile, probeOrCreateFile, runSteps, writeFile } from './files';
import { ModuleFailure, type ModuleDef } from './types';

const args = z
  .object({
    path: z.string().min(1),
    line: text.optional(),
    regexp: z.string().optional(),
    search_string: z.string().optional(),
    state: z.enum(['present', 'absent']).default('present'),
    insertafter: z.string().optional(),
    insertbefore: z.string().optional(),
    create: flag(false),
    backrefs: flag(false),
    firstmatch: flag(false),
    ...fileAttrShape,
  })
  .strict();

type Args = z.infer<typeof args>;

/** Lines with their endings, like Python's readlines(). */
function readlines(s: string): string[] {
  return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
const strip = (l: string) => l.replace(/[\r\n]+$/, '');

/** The new content and a message, or unchanged. Exported for unit tests. */
export function applyLine(content: string, a: Args): { content: string; changed: boolean; msg: string } {
  const lines = readlines(content);
  if (a.state === 'absent') {
    const re = a.regexp !== undefined ? pyRegex(a.regexp) : undefined;
    const kept = lines.filter((l) => {
      if (re) return !re.test(l);
      if (a.search_string !== undefined) return !l.includes(a.search_string);
      return strip(l) !== a.line;
    });
    const n = lines.length - kept.length;
    return { content: kept.join(''), changed: n > 0, msg: n ? `${n} line(s) removed` : '' };
  }
  const line = a.line!;
  const re = a.regexp !== undefined ? pyRegex(a.regexp) : undefined;
  const ins = a.insertafter !== undefined && !['BOF', 'EOF'].includes(a.insertafter) ? pyRegex(a.insertafter) : a.insertbefore !== undefined && a.insertbefore !== 'BOF' ? pyRegex(a.insertbefore) : undefined;
  const index = [-1, -1];
  let match: RegExpExecArray | boolean | null = null;
  if (re) {
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(lines[i]!);
      if (m) {
        index[0] = i;
        match = m;
        if (a.firstmatch) break;
      }
    }
  }
  if (a.search_string !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.includes(a.search_string)) {
        index[0] = i;
        match = true;
        if (a.firstmatch) break;
      }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (strip(lines[i]!) === line) {
        index[0] = i;
      } else if (ins && ins.test(lines[i]!)) {
        if (a.insertafter !== undefined) {
          index[1] = i + 1;
          if (a.firstmatch) break;
        }
        if (a.insertbefore !== undefined) {
          index[1] = i;
          if (a.firstmatch) break;
        }
      }
    }
  }
  let changed = false;
  let msg = '';
  const add = (at: number) => {
    lines.splice(at, 0, line + '\n');
    changed = true;
    msg = 'line added';
  };
  if (index[0] !== -1) {
    let newLine = a.backrefs && match && typeof match !== 'boolean' ? expand(match, line) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[index[0]!] !== newLine) {
      lines[index[0]!] = newLine;
      changed = true;
      msg = 'line replaced';
    }
  } else if (a.backrefs) {
    // Without a match the backrefs cannot be filled in: do nothing, like Ansible.
  } else if (a.insertbefore === 'BOF' || a.insertafter === 'BOF') {
    add(0);
  } else if (a.insertafter === 'EOF' || index[1] === -1) {
    if (lines.length && !/[\n\r]$/.test(lines.at(-1)!)) lines.push('\n');
    add(lines.length);
  } else if (a.insertafter !== undefined && index[1] !== -1) {
    if (lines.length === index[1]) {
      if (strip(lines[index[1]! - 1]!) !== line) add(lines.length);
    } else if (line !== strip(lines[index[1]!]!)) add(index[1]!);
  } else {
    add(index[1]!);
  }
  return { content: lines.join(''), changed, msg };
}

/** Python's match.expand: \1, \g<1>, \g<name> and the usual escapes. */
function expand(m: RegExpExecArray, template: string): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|([\s\S]))/g, (_s, name: string | undefined, num: string | undefined, ch: string | undefined) => {
    if (num !== undefined) return m[Number(num)] ?? '';
    if (name !== undefined) return /^\d+$/.test(name) ? (m[Number(name)] ?? '') : (m.groups?.[name] ?? '');
    return ch === 'n' ? '\n' : ch === 't' ? '\t' : ch === '\\' ? '\\' : `\\${ch}`;
  });
}

export const lineinfile: ModuleDef<typeof args> = {
  name: 'lineinfile',
  aliases: ['ansible.builtin.lineinfile', 'ansible.legacy.lineinfile'],
  argAliases: { dest: 'path', destfile: 'path', name: 'path' },
  args,
  freeForm: 'kv',
  async run(ctx, a) {
    if (a.state === 'present' && a.line === undefined) throw new ModuleFailure('line is required with state=present');
    if (a.state === 'absent' && a.line === undefined && a.regexp === undefined && a.search_string === undefined)
      throw new ModuleFailure('one of line, regexp or search_string is required with state=absent');
    if (a.backrefs && a.regexp === undefined) throw new ModuleFailure('regexp is required with backrefs=true');
    const attrs = attrsFrom(a);
    // With create, a missing file gets the line in the probe's own round trip.
    const fresh = a.create && a.state === 'present' ? applyLine('', a) : undefined;
    const st = fresh?.changed && !ctx.check ? await probeOrCreateFile(ctx, a.path, 'content', fresh.content, attrs) : await probeFile(ctx, a.path, 'content');
    if (st === 'created') return { changed: true, msg: fresh!.msg, diff: { before: '', after: fresh!.content } };
    if (st.type === 'absent') {
      if (a.state === 'absent') return { changed: false, msg: 'file not present' };
      if (!a.create) throw new ModuleFailure(`Destination ${a.path} does not exist !`, { rc: 257 });
    } else if (st.type !== 'file') throw new ModuleFailure(`${a.path} is not a regular file`);
    const before = st.content ?? '';
    const r = applyLine(before, a);
    if (r.changed) {
      if (!ctx.check) await writeFile(ctx, a.path, r.content, attrs);
      return { changed: true, msg: r.msg, diff: { before, after: r.content } };
    }
    if (st.type === 'absent') return { changed: false, msg: r.msg };
    const steps = attrSteps(a.path, attrChanges(st, attrs));
    if (steps.length && !ctx.check) await runSteps(ctx, steps, `setting attributes of ${a.path}`);
    return { changed: steps.length > 0, msg: steps.length ? 'ownership, perms or SE linux context changed' : r.msg };
  },
};
