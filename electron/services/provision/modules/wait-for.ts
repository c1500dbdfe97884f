// wait_for: from the node, wait for a TCP port to open or close, or a file to
// appear (optionally containing a regex) or go away. Never a change.
import { z } from 'zod';
import { pyRegex } from '../template';
import { ModuleFailure, type ModuleDef } from './types';

const args = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.coerce.number().int().min(1).max(65535).optional(),
    path: z.string().optional(),
    state: z.enum(['started', 'present', 'stopped', 'absent']).default('started'),
    search_regex: z.string().optional(),
    delay: z.coerce.number().min(0).default(0),
    timeout: z.coerce.number().min(0).default(300),
    sleep: z.coerce.number().min(0).default(1),
    connect_timeout: z.coerce.number().positive().default(5),
    msg: z.string().optional(),
  })
  .strict();

const PORT_OPEN = 'exec 3<>"/dev/tcp/$1/$2"';
const READ_FILE = 'if [ -e "$1" ]; then echo present; cat -- "$1" 2>/dev/null; else echo absent; fi';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const waitFor: ModuleDef<typeof args> = {
  name: 'wait_for',
  aliases: ['ansible.builtin.wait_for', 'ansible.legacy.wait_for'],
  args,
  freeForm: 'kv',
  async run(ctx, a) {
    if (a.port !== undefined && a.path !== undefined) throw new ModuleFailure('port and path are mutually exclusive');
    const started = Date.now();
    if (a.delay) await pause(a.delay * 1000);
    if (a.port === undefined && a.path === undefined) {
      await pause(a.timeout * 1000);
      return { changed: false, elapsed: a.timeout };
    }
    const wantUp = a.state === 'started' || a.state === 'present';
    const deadline = started + a.timeout * 1000;
    for (;;) {
      let up: boolean;
      if (a.port !== undefined) {
        const r = await ctx.run(['timeout', String(a.connect_timeout), 'bash', '-c', PORT_OPEN, 'bash', a.host, String(a.port)], { noBecome: true });
        up = r.code === 0;
      } else {
        const r = await ctx.run(['sh', '-c', READ_FILE, 'sh', a.path!]);
        const present = r.stdout.startsWith('present\n');
        up = present && (!a.search_regex || !wantUp || pyRegex(a.search_regex, 'm').test(r.stdout.slice('present\n'.length)));
        if (!wantUp) up = present;
      }
      if (up === wantUp) return { changed: false, elapsed: Math.round((Date.now() - started) / 1000), ...(a.port !== undefined ? { port: a.port } : { path: a.path }) };
      if (Date.now() + a.sleep * 1000 > deadline) break;
      if (ctx.signal?.aborted) throw new ModuleFailure('cancelled');
      await pause(a.sleep * 1000);
    }
    const what = a.port !== undefined ? `${a.host}:${a.port}` : a.path!;
    throw new ModuleFailure(a.msg ?? `Timeout when waiting for ${what}${a.search_regex ? ` to contain ${a.search_regex}` : ''} (${wantUp ? 'to appear' : 'to go away'})`, { elapsed: a.timeout });
  },
};
