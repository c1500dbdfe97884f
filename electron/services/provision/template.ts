// Ansible's templating on nunjucks: Jinja-compatible syntax, the filters and
// tests playbooks use most, lookups, and Ansible's rule that a value which is a
// single `{{ expr }}` keeps its type (a list stays a list, a bool a bool).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { quote } from 'shell-quote';
import YAML from 'yaml';

/** A value marked `!unsafe` in YAML: never templated, used verbatim. */
export class Unsafe {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface TemplateOptions {
  /** Where lookup('file', rel) looks first (the playbook's folder; then its files/ subfolder). */
  baseDir: string;
  /** lookup('env', NAME): the controller's environment, like Ansible. */
  env?: NodeJS.ProcessEnv;
}

// Jinja prints True/False/None where JavaScript prints true/false/null. nunjucks
// routes every `{{ }}` output through runtime.suppressValue, so while one of our
// renders runs (synchronously) booleans and null print the Jinja way.
let jinjaDepth = 0;
const runtime = (nunjucks as unknown as { runtime: { suppressValue: (v: unknown, autoescape: boolean) => unknown } }).runtime;
const originalSuppress = runtime.suppressValue;
runtime.suppressValue = (v: unknown, autoescape: boolean) => {
  if (jinjaDepth > 0) {
    if (v === true) return 'True';
    if (v === false) return 'False';
    if (v === null) return 'None';
    if (Array.isArray(v) || (typeof v === 'object' && v !== undefined && !(v instanceof Unsafe) && v.constructor === Object)) return pyRepr(v);
  }
  return originalSuppress(v, autoescape);
};

/** How Python prints a list or dict, which is what `{{ a_list }}` inside a longer string gives in Ansible. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Unsafe) return pyRepr(v.value);
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v === null || v === undefined) return false;
  const s = String(v).trim().toLowerCase();
  return ['yes', 'on', '1', 'true', 'y', 't'].includes(s);
}

/** Python's re syntax where it differs from JavaScript's: named groups. */
export function pyRegex(pattern: string, flags = ''): RegExp {
  return new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), flags);
}

/** Python's re replacement syntax (\1, \g<1>, \g<name>) to JavaScript's ($1, $<name>). */
export function pyReplacement(rep: string): string {
  return rep
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\d+)>/g, '$$$1')
    .replace(/\\g<(\w+)>/g, '$$<$1>')
    .replace(/\\(\d)/g, '$$$1')
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\\\/g, '\\');
}

function flatten(v: unknown[], levels = Infinity): unknown[] {
  const out: unknown[] = [];
  for (const x of v) {
    if (Array.isArray(x) && levels > 0) out.push(...flatten(x, levels - 1));
    else if (x !== null && x !== undefined) out.push(x);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unsafe);
}

function combine(a: unknown, ...rest: unknown[]): Record<string, unknown> {
  const recursive = rest.length && isPlainObject(rest.at(-1)) && 'recursive' in (rest.at(-1) as object) && Object.keys(rest.at(-1) as object).length === 1;
  const dicts = recursive ? rest.slice(0, -1) : rest;
  const deep = recursive && toBool((rest.at(-1) as Record<string, unknown>).recursive);
  const merge = (x: Record<string, unknown>, y: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = deep && isPlainObject(out[k]) && isPlainObject(v) ? merge(out[k] as Record<string, unknown>, v) : v;
    return out;
  };
  return dicts.reduce<Record<string, unknown>>((acc, d) => merge(acc, (d ?? {}) as Record<string, unknown>), { ...((a ?? {}) as Record<string, unknown>) });
}

// nunjucks copies the render context's own properties before rendering, which
// would evaluate every lazily templated variable (and fail on any broken one
// nobody uses). A context marked LAZY is used by reference instead.
const LAZY = Symbol('bramble.lazyVars');
let contextPatched = false;
function patchContext(env: nunjucks.Environment): void {
  if (contextPatched) return;
  let proto: { init: (ctx: unknown, blocks: unknown, env: unknown) => void } | undefined;
  env.addGlobal('__bramble_context', function (this: object) {
    proto = Object.getPrototypeOf(this) as typeof proto;
    return '';
  });
  env.renderString('{{ __bramble_context() }}', {});
  if (!proto) throw new Error('nunjucks: could not find its Context class');
  const init = proto.init;
  proto.init = function (this: { ctx: unknown }, ctx: unknown, blocks: unknown, e: unknown) {
    const lazy = typeof ctx === 'object' && ctx !== null && LAZY in ctx;
    init.call(this, lazy ? {} : ctx, blocks, e);
    if (lazy) this.ctx = ctx;
  };
  contextPatched = true;
}

/**
 * Variables whose values are templates, rendered on first use against the same
 * variables (so `a: "{{ b }}-x"` works in any order), like Ansible's lazy vars.
 * Later layers win. Values in `plain` layers are data and never templated.
 */
export function lazyVars(templar: Templar, layers: { vars: Record<string, unknown>; plain?: boolean }[]): Record<string, unknown> {
  const out: Record<string | symbol, unknown> = { [LAZY]: true };
  const resolving = new Set<string>();
  const merged = new Map<string, { v: unknown; plain: boolean }>();
  for (const l of layers) for (const [k, v] of Object.entries(l.vars)) merged.set(k, { v, plain: !!l.plain });
  for (const [k, { v, plain }] of merged) {
    if (plain) {
      out[k] = v;
      continue;
    }
    Object.defineProperty(out, k, {
      enumerable: true,
      configurable: true,
      get() {
        if (resolving.has(k)) throw new TemplateError(`recursive loop detected in template for variable '${k}'`);
        resolving.add(k);
        try {
          const value = templar.value(v, out);
          Object.defineProperty(out, k, { value, enumerable: true, configurable: true, writable: true });
          return value;
        } finally {
          resolving.delete(k);
        }
      },
      set(value: unknown) {
        Object.defineProperty(out, k, { value, enumerable: true, configurable: true, writable: true });
      },
    });
  }
  return out as Record<string, unknown>;
}

/** One nunjucks environment per base folder (lookups are relative to it). */
export class Templar {
  private readonly env: nunjucks.Environment;
  private captured: unknown;

  constructor(private readonly opts: TemplateOptions) {
    const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: false });
    this.env = env;
    patchContext(env);
    const filters: Record<string, (...a: any[]) => unknown> = {
      bool: (v) => toBool(v),
      int: (v, d = 0) => {
        const n = Number.parseInt(String(v), 10);
        return Number.isNaN(n) ? d : n;
      },
      float: (v, d = 0) => {
        const n = Number.parseFloat(String(v));
        return Number.isNaN(n) ? d : n;
      },
      string: (v) => (typeof v === 'string' ? v : v === true ? 'True' : v === false ? 'False' : isPlainObject(v) || Array.isArray(v) ? pyRepr(v) : String(v)),
      d: (v, dflt = '', boolean = false) => (v === undefined || (boolean && !v) ? dflt : v),
      mandatory: (v, msg?: string) => {
        if (v === undefined) throw new TemplateError(msg ?? 'Mandatory variable not defined.');
        return v;
      },
      ternary: (v, a, b, none?: unknown) => (v === null && none !== undefined ? none : v ? a : b),
      regex_replace: (v, pat: string, rep = '', ignorecase = false, multiline = false) =>
        String(v).replace(pyRegex(pat, 'g' + (ignorecase ? 'i' : '') + (multiline ? 'm' : '')), pyReplacement(rep)),
      regex_search: (v, pat: string, ...groups: string[]) => {
        const m = pyRegex(pat).exec(String(v));
        if (!m) return null;
        if (!groups.length) return m[0];
        return groups.map((g) => (g.startsWith('\\g<') ? m.groups?.[g.slice(3, -1)] : m[Number(g.replace(/^\\/, ''))]));
      },
      regex_findall: (v, pat: string) => [...String(v).matchAll(pyRegex(pat, 'g'))].map((m) => (m.length > 2 ? m.slice(1) : (m[1] ?? m[0]))),
      regex_escape: (v) => String(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      basename: (v) => path.posix.basename(String(v)),
      dirname: (v) => path.posix.dirname(String(v)),
      splitext: (v) => {
        const s = String(v);
        const ext = path.posix.extname(s);
        return [s.slice(0, s.length - ext.length), ext];
      },
      quote: (v) => quote([String(v)]),
      to_json: (v) => JSON.stringify(v),
      to_nice_json: (v, indent = 4) => JSON.stringify(v, null, indent),
      from_json: (v) => JSON.parse(String(v)),
      to_yaml: (v) => YAML.stringify(v),
      to_nice_yaml: (v, indent = 4) => YAML.stringify(v, { indent }),
      from_yaml: (v) => YAML.parse(String(v), { version: '1.1' }),
      b64encode: (v) => Buffer.from(String(v), 'utf8').toString('base64'),
      b64decode: (v) => Buffer.from(String(v), 'base64').toString('utf8'),
      hash: (v, algo = 'sha1') => createHash(algo).update(String(v)).digest('hex'),
      checksum: (v) => createHash('sha1').update(String(v)).digest('hex'),
      unique: (v: unknown[]) => [...new Set(v)],
      union: (a: unknown[], b: unknown[]) => [...new Set([...a, ...b])],
      intersect: (a: unknown[], b: unknown[]) => [...new Set(a.filter((x) => b.includes(x)))],
      difference: (a: unknown[], b: unknown[]) => [...new Set(a.filter((x) => !b.includes(x)))],
      flatten: (v: unknown[], levels?: number) => flatten(v, levels ?? Infinity),
      list: (v) => (Array.isArray(v) ? v : typeof v === 'string' ? [...v] : isPlainObject(v) ? Object.keys(v) : [...(v as Iterable<unknown>)]),
      dict2items: (v: Record<string, unknown>, key_name = 'key', value_name = 'value') =>
        Object.entries(v).map(([k, x]) => ({ [key_name]: k, [value_name]: x })),
      items2dict: (v: Record<string, unknown>[], key_name = 'key', value_name = 'value') =>
        Object.fromEntries(v.map((i) => [String(i[key_name]), i[value_name]])),
      combine,
      bool_to_str: (v) => (v ? 'True' : 'False'),
      comment: (v) => String(v).split('\n').map((l) => `# ${l}`).join('\n'),
      split: (v, sep?: string) => (sep === undefined ? String(v).trim().split(/\s+/) : String(v).split(sep)),
      map: (v: unknown[], name: string, ...args: unknown[]) => {
        if (name === 'attribute') {
          const attr = (args[0] as { attribute?: string } | undefined)?.attribute;
          return v.map((x) => (x as Record<string, unknown>)[attr ?? '']);
        }
        const f = env.getFilter(name) as (...a: unknown[]) => unknown;
        return v.map((x) => f(x, ...args));
      },
      select: (v: unknown[], test?: string, ...args: unknown[]) => v.filter((x) => this.runTest(test ?? 'truthy', x, args)),
      reject: (v: unknown[], test?: string, ...args: unknown[]) => v.filter((x) => !this.runTest(test ?? 'truthy', x, args)),
      selectattr: (v: unknown[], attr: string, test?: string, ...args: unknown[]) =>
        v.filter((x) => (test ? this.runTest(test, (x as Record<string, unknown>)[attr], args) : !!(x as Record<string, unknown>)[attr])),
      rejectattr: (v: unknown[], attr: string, test?: string, ...args: unknown[]) =>
        v.filter((x) => !(test ? this.runTest(test, (x as Record<string, unknown>)[attr], args) : !!(x as Record<string, unknown>)[attr])),
    };
    for (const [name, f] of Object.entries(filters)) env.addFilter(name, f);
    const registered = (v: unknown) => isPlainObject(v);
    const tests: Record<string, (...a: any[]) => boolean> = {
      match: (v, pat: string) => pyRegex(`^(?:${pat})`).test(String(v)),
      search: (v, pat: string) => pyRegex(pat).test(String(v)),
      regex: (v, pat: string) => pyRegex(pat).test(String(v)),
      changed: (v) => registered(v) && toBool((v as Record<string, unknown>).changed),
      failed: (v) => registered(v) && toBool((v as Record<string, unknown>).failed),
      succeeded: (v) => registered(v) && !toBool((v as Record<string, unknown>).failed),
      success: (v) => registered(v) && !toBool((v as Record<string, unknown>).failed),
      skipped: (v) => registered(v) && toBool((v as Record<string, unknown>).skipped),
      none: (v) => v === null,
      boolean: (v) => typeof v === 'boolean',
      integer: (v) => Number.isInteger(v),
      float: (v) => typeof v === 'number' && !Number.isInteger(v),
      sequence: (v) => Array.isArray(v) || typeof v === 'string',
      subset: (a: unknown[], b: unknown[]) => a.every((x) => b.includes(x)),
      superset: (a: unknown[], b: unknown[]) => b.every((x) => a.includes(x)),
      contains: (a: unknown[], x: unknown) => Array.isArray(a) && a.includes(x),
      in: (x: unknown, a: unknown) => (Array.isArray(a) ? a.includes(x) : typeof a === 'string' ? a.includes(String(x)) : false),
      abs: (v) => typeof v === 'string' && v.startsWith('/'),
    };
    const withTests = env as unknown as { addTest(n: string, f: (...a: any[]) => boolean): void; getTest(n: string): (...a: unknown[]) => boolean };
    for (const [name, f] of Object.entries(tests)) withTests.addTest(name, f);
    env.addGlobal('True', true);
    env.addGlobal('False', false);
    env.addGlobal('None', null);
    env.addGlobal('lookup', (name: string, ...args: unknown[]) => this.lookup(name, args).join(','));
    env.addGlobal('query', (name: string, ...args: unknown[]) => this.lookup(name, args));
    env.addGlobal('q', (name: string, ...args: unknown[]) => this.lookup(name, args));
    env.addGlobal('__bramble_capture', (v: unknown) => {
      this.captured = v;
      return '';
    });
  }

  private runTest(name: string, v: unknown, args: unknown[]): boolean {
    const t = (this.env as unknown as { getTest(n: string): (...a: unknown[]) => boolean }).getTest(name);
    return t.call({}, v, ...args);
  }

  private lookup(name: string, args: unknown[]): unknown[] {
    const terms = args.filter((a) => !isPlainObject(a)).flatMap((a) => (Array.isArray(a) ? a : [a])).map(String);
    switch (name.replace(/^ansible\.builtin\./, '')) {
      case 'file':
        return terms.map((t) => this.readLocal(t, 'files').replace(/\n$/, ''));
      case 'env':
        return terms.map((t) => (this.opts.env ?? process.env)[t] ?? '');
      case 'template':
        throw new TemplateError("lookup('template') is not supported; use the template module");
      default:
        throw new TemplateError(`lookup plugin '${name}' is not supported (supported: file, env)`);
    }
  }

  /**
   * A controller-side file for lookup('file'), copy src or template src:
   * absolute, or under the role's folder (for a role's task), then the
   * playbook's (each in its files/ or templates/, then itself).
   */
  readLocal(rel: string, sub: 'files' | 'templates', roleDir?: string): string {
    const dirs = roleDir ? [roleDir, this.opts.baseDir] : [this.opts.baseDir];
    const candidates = path.isAbsolute(rel) ? [rel] : dirs.flatMap((d) => [path.join(d, sub, rel), path.join(d, rel)]);
    for (const c of candidates) {
      try {
        return readFileSync(c, 'utf8');
      } catch {
        /* next candidate */
      }
    }
    throw new TemplateError(`could not find or read ${rel} (looked in ${candidates.join(', ')})`);
  }

  private withJinja<T>(fn: () => T): T {
    jinjaDepth++;
    try {
      return fn();
    } catch (e) {
      throw new TemplateError(cleanMessage(e));
    } finally {
      jinjaDepth--;
    }
  }

  /** Render a whole template (the template module, or a string with text around expressions). */
  renderString(source: string, vars: object): string {
    return this.withJinja(() => this.env.renderString(source, vars as Record<string, unknown>));
  }

  /** Evaluate one Jinja expression to its native value (when:, changed_when:, loop: "{{ x }}"). */
  evaluate(expr: string, vars: object): unknown {
    this.captured = undefined;
    this.withJinja(() => this.env.renderString(`{{ __bramble_capture(${expr}) }}`, vars as Record<string, unknown>));
    if (this.captured === undefined) throw new TemplateError(`'${expr.trim()}' is undefined`);
    return this.captured;
  }

  /** A conditional as Ansible writes it (bare expression, or a bool). */
  condition(cond: unknown, vars: object): boolean {
    if (typeof cond === 'boolean') return cond;
    if (cond === null || cond === undefined) return false;
    const s = String(cond).trim();
    const bare = /^\{\{([\s\S]*)\}\}$/.exec(s);
    return truthy(this.evaluate(bare ? bare[1]! : s, vars));
  }

  /** Template a value from a playbook: strings are rendered, lists and dicts recursively. */
  value(v: unknown, vars: object): unknown {
    if (v instanceof Unsafe) return v.value;
    if (typeof v === 'string') {
      if (!v.includes('{{') && !v.includes('{%') && !v.includes('{#')) return v;
      const single = /^\{\{((?:(?!\}\})[\s\S])*)\}\}$/.exec(v);
      if (single) {
        const out = this.evaluate(single[1]!, vars);
        // Ansible turns a rendered value into text unless it is a container, bool or number.
        return out instanceof Unsafe ? out.value : out;
      }
      return this.renderString(v, vars);
    }
    if (Array.isArray(v)) return v.map((x) => this.value(x, vars));
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, vars)]));
    return v;
  }
}

/** Python truthiness (Ansible conditionals): "False" and "no" strings are still truthy there, but its `bool` coercion of a bare "false" result is false. */
function truthy(v: unknown): boolean {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'false' || s === '' || s === 'none' || s === '0') return false;
    return true;
  }
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return !!v;
}

function cleanMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // nunjucks prefixes "(unknown path) [Line 1, Column 3]" and wraps nested errors.
  const lines = m.split('\n').map((l) => l.trim()).filter(Boolean);
  const text = lines.filter((l) => !/^\(unknown path\)/.test(l) && !/^Template render error/.test(l)).join(' ') || m;
  return text.replace(/attempted to output null or undefined value/, 'a variable in the template is undefined');
}
