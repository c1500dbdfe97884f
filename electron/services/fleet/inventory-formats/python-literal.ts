// Ansible's INI plugin turns each value into a Python object with
// ast.literal_eval and keeps the raw text when that fails, so `port=22` is a
// number and `port='22'` a string. To read (and write) INI inventories the way
// Ansible does, we need the same rule: this is the subset of Python literal
// syntax that has a JSON meaning (numbers, strings, booleans, None, lists,
// tuples, dicts). Anything else reads as "not a literal", i.e. raw text.

const NOT_LITERAL = Symbol('not a literal');

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r') this.pos++;
      else if (c === '\\' && (this.text[this.pos + 1] === '\n' || this.text[this.pos + 1] === '\r')) this.pos += 2;
      else if (c === '#') while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
      else return;
    }
  }

  peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  eat(s: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
}

class NotLiteral extends Error {}
const fail = (): never => {
  throw new NotLiteral();
};

function parseValue(r: Reader): unknown {
  const c = r.peek();
  if (c === undefined) fail();
  if (c === '[') return parseSequence(r, '[', ']');
  if (c === '(') {
    // `(1)` is grouping, `(1,)` and `()` are tuples.
    r.eat('(');
    if (r.eat(')')) return [];
    const first = parseValue(r);
    if (r.eat(')')) return first;
    if (!r.eat(',')) fail();
    const items = [first];
    while (!r.eat(')')) {
      items.push(parseValue(r));
      if (!r.eat(',') && r.peek() !== ')') fail();
    }
    return items;
  }
  if (c === '{') return parseBrace(r);
  if (c === '-' || c === '+') {
    r.eat(c);
    const n = parseNumber(r);
    return c === '-' ? -n : n;
  }
  if (c === "'" || c === '"' || /[rRuU]/.test(c!) && /['"]/.test(r.text[r.pos + 1] ?? '')) return parseStrings(r);
  if (/[0-9.]/.test(c!)) return parseNumber(r);
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(r.text.slice(r.pos))?.[0];
  if (word === 'True' || word === 'False' || word === 'None') {
    r.pos += word.length;
    return word === 'True' ? true : word === 'False' ? false : null;
  }
  return fail();
}

function parseSequence(r: Reader, open: string, close: string): unknown[] {
  r.eat(open);
  const items: unknown[] = [];
  while (!r.eat(close)) {
    items.push(parseValue(r));
    if (!r.eat(',') && r.peek() !== close) fail();
  }
  return items;
}

function parseBrace(r: Reader): unknown {
  r.eat('{');
  if (r.eat('}')) return {};
  const first = parseValue(r);
  if (r.eat(':')) {
    const dict: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      dict[jsonKey(key)] = parseValue(r);
      if (r.eat('}')) return dict;
      if (!r.eat(',')) fail();
      if (r.eat('}')) return dict;
      key = parseValue(r);
      if (!r.eat(':')) fail();
    }
  }
  // A set: it has no JSON form, so it reads as a list.
  const items = [first];
  while (!r.eat('}')) {
    if (!r.eat(',')) fail();
    if (r.eat('}')) break;
    items.push(parseValue(r));
  }
  return items;
}

/** Python's json module writes non-string keys this way. */
function jsonKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'boolean' || typeof key === 'number') return String(key);
  return fail();
}

const DIGITS = '\\d(?:_?\\d)*';
const FLOAT = new RegExp(`^(?:(?:${DIGITS})?\\.${DIGITS}(?:[eE][+-]?${DIGITS})?|${DIGITS}\\.?(?:[eE][+-]?${DIGITS})|${DIGITS}\\.)`);
const INT = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0(?:_?0)*)/;

function parseNumber(r: Reader): number {
  r.skipSpace();
  const rest = r.text.slice(r.pos);
  const float = FLOAT.exec(rest)?.[0];
  const int = INT.exec(rest)?.[0];
  const literal = float && float.length >= (int?.length ?? 0) ? float : int;
  if (!literal) return fail();
  const after = rest[literal.length];
  // `0755` (leading zero), `1j` (complex) and `12abc` are not literals we can carry.
  if (after !== undefined && /[A-Za-z0-9_.]/.test(after)) fail();
  r.pos += literal.length;
  const clean = literal.replace(/_/g, '');
  if (literal === float) return Number(clean);
  const value = /^0[oO]/.test(clean) ? parseInt(clean.slice(2), 8) : /^0[bB]/.test(clean) ? parseInt(clean.slice(2), 2) : Number(clean);
  // A JS number cannot hold it exactly: better the text than a silently wrong number.
  if (!Number.isSafeInteger(value)) fail();
  return value;
}

/** One or more adjacent string literals ('a' "b" → 'ab'), as Python concatenates them. */
function parseStrings(r: Reader): string {
  let out = '';
  let any = false;
  for (;;) {
    r.skipSpace();
    const m = /^([rRuU]?)('''|"""|'|")/.exec(r.text.slice(r.pos));
    if (!m) break;
    any = true;
    r.pos += m[0].length;
    const raw = m[1]!.toLowerCase() === 'r';
    const quote = m[2]!;
    for (;;) {
      if (r.pos >= r.text.length) fail();
      if (r.text.startsWith(quote, r.pos)) {
        r.pos += quote.length;
        break;
      }
      const ch = r.text[r.pos]!;
      if (quote.length === 1 && ch === '\n') fail();
      if (ch === '\\') {
        const next = r.text[r.pos + 1];
        if (next === undefined) fail();
        if (raw) {
          out += ch + next;
          r.pos += 2;
          continue;
        }
        r.pos += 2;
        out += unescape(next!, r);
        continue;
      }
      out += ch;
      r.pos++;
    }
  }
  if (!any) fail();
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function unescape(next: string, r: Reader): string {
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) return simple;
  const hex = (len: number): string => {
    const digits = r.text.slice(r.pos, r.pos + len);
    if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) fail();
    r.pos += len;
    return String.fromCodePoint(parseInt(digits, 16));
  };
  if (next === 'x') return hex(2);
  if (next === 'u') return hex(4);
  if (next === 'U') return hex(8);
  if (/[0-7]/.test(next)) {
    const m = /^[0-7]{0,2}/.exec(r.text.slice(r.pos))![0];
    r.pos += m.length;
    return String.fromCodePoint(parseInt(next + m, 8));
  }
  // Python keeps unknown escapes as written.
  return `\\${next}`;
}

/** The value Ansible's INI plugin makes of `text`: a Python literal's value, or the text itself. */
export function iniValue(text: string): unknown {
  const parsed = parsePythonLiteral(text);
  return parsed === NOT_LITERAL ? text : parsed;
}

export function parsePythonLiteral(text: string): unknown | typeof NOT_LITERAL {
  // literal_eval strips leading blanks itself.
  const r = new Reader(text.replace(/^[ \t]+/, ''));
  try {
    const value = parseValue(r);
    r.skipSpace();
    if (r.pos !== r.text.length) {
      // `1, 2` is a tuple in Python.
      if (!r.eat(',')) return NOT_LITERAL;
      const items = [value];
      while (r.peek() !== undefined) {
        items.push(parseValue(r));
        if (!r.eat(',') && r.peek() !== undefined) return NOT_LITERAL;
      }
      return items;
    }
    return value;
  } catch (error) {
    if (error instanceof NotLiteral) return NOT_LITERAL;
    throw error;
  }
}

export const isPythonLiteral = (text: string): boolean => parsePythonLiteral(text) !== NOT_LITERAL;

/** Python source for a JSON value, so literal_eval gives the same value back. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} has no Python literal form`);
    return String(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pythonString(k)}: ${pythonRepr(v)}`)
      .join(', ')}}`;
  }
  throw new Error(`a ${typeof value} has no Python literal form`);
}

function pythonString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}
