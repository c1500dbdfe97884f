// Modules that run on the controller only: debug, set_fact, fail, assert.
import { z } from 'zod';
import { pyRepr } from '../template';
import { ModuleFailure, type ModuleDef } from './types';

const debugArgs = z.object({ msg: z.unknown().optional(), var: z.string().optional(), verbosity: z.coerce.number().optional() }).strict();
export const debug: ModuleDef<typeof debugArgs> = {
  name: 'debug',
  aliases: ['ansible.builtin.debug', 'ansible.legacy.debug'],
  argAliases: {},
  args: debugArgs,
  freeForm: 'kv',
  async run(ctx, a) {
    if (a.var !== undefined) {
      let v: unknown;
      try {
        v = ctx.evaluate(a.var);
      } catch {
        v = 'VARIABLE IS NOT DEFINED!';
      }
      return { changed: false, [a.var]: v, msg: typeof v === 'string' ? v : pyRepr(v) };
    }
    const m = a.msg ?? 'Hello world!';
    return { changed: false, msg: typeof m === 'string' ? m : pyRepr(m) };
  },
};

const factArgs = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name'), z.unknown());
export const setFact: ModuleDef<typeof factArgs> = {
  name: 'set_fact',
  aliases: ['ansible.builtin.set_fact', 'ansible.legacy.set_fact'],
  args: factArgs,
  freeForm: 'kv',
  async run(ctx, a) {
    const facts = Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'cacheable'));
    ctx.setFacts(facts);
    return { changed: false, ansible_facts: facts };
  },
};

const failArgs = z.object({ msg: z.string().default('Failed as requested from task') }).strict();
export const fail: ModuleDef<typeof failArgs> = {
  name: 'fail',
  aliases: ['ansible.builtin.fail', 'ansible.legacy.fail'],
  args: failArgs,
  freeForm: 'kv',
  async run(_ctx, a) {
    throw new ModuleFailure(a.msg);
  },
};

const assertArgs = z
  .object({
    that: z.union([z.string(), z.boolean(), z.array(z.union([z.string(), z.boolean()]))]),
    fail_msg: z.string().optional(),
    msg: z.string().optional(),
    success_msg: z.string().default('All assertions passed'),
    quiet: z.unknown().optional(),
  })
  .strict();
export const assert: ModuleDef<typeof assertArgs> = {
  name: 'assert',
  aliases: ['ansible.builtin.assert', 'ansible.legacy.assert'],
  args: assertArgs,
  async run(ctx, a) {
    for (const cond of Array.isArray(a.that) ? a.that : [a.that]) {
      const ok = typeof cond === 'boolean' ? cond : !!ctx.evaluate(`(${cond}) | bool`);
      if (!ok) throw new ModuleFailure(a.fail_msg ?? a.msg ?? 'Assertion failed', { assertion: cond, evaluated_to: false });
    }
    return { changed: false, msg: a.success_msg };
  },
};
