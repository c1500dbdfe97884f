// Templating like Ansible's Jinja: native types for single expressions, Jinja's
// True/False, the common filters and tests, lookups, lazy variables.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lazyVars, Templar, TemplateError } from '../../electron/services/provision/template';

const base = mkdtempSync(path.join(tmpdir(), 'bramble-tpl-'));
mkdirSync(path.join(base, 'files'));
writeFileSync(path.join(base, 'files', 'key.pub'), 'ssh-ed25519 AAAA me@host\n');
const t = new Templar({ baseDir: base, env: { BRAMBLE_TEST: 'from env' } });

describe('Templar', () => {
  it('keeps the type of a lone expression and renders text otherwise', () => {
    const vars = { pkgs: ['htop', 'vim'], n: 3, flag: true };
    expect(t.value('{{ pkgs }}', vars)).toEqual(['htop', 'vim']);
    expect(t.value('{{ n + 1 }}', vars)).toBe(4);
    expect(t.value('n={{ n }} flag={{ flag }} off={{ not flag }}', vars)).toBe('n=3 flag=True off=False');
    expect(t.value('{{ pkgs }}\n', vars)).toBe("['htop', 'vim']\n");
    expect(t.value({ a: ['{{ n }}'] }, vars)).toEqual({ a: [3] });
  });

  it('has the filters playbooks use', () => {
    const v = { s: 'Hello World', l: ['b', 'a', 'b'], missing: undefined, yes: 'yes', path: '/etc/ssh/sshd_config' };
    expect(t.value("{{ undefined_var | default('fallback') }}", v)).toBe('fallback');
    expect(t.value("{{ '' | default('x', true) }}", v)).toBe('x');
    expect(t.value('{{ yes | bool }}', v)).toBe(true);
    expect(t.value("{{ '42' | int + 1 }}", v)).toBe(43);
    expect(t.value('{{ s | lower }} {{ s | upper }}', v)).toBe('hello world HELLO WORLD');
    expect(t.value("{{ l | unique | join(',') }}", v)).toBe('b,a');
    expect(t.value("{{ s | regex_replace('(\\\\w+) (\\\\w+)', '\\\\2 \\\\1') }}", v)).toBe('World Hello');
    expect(t.value('{{ path | basename }} {{ path | dirname }}', v)).toBe('sshd_config /etc/ssh');
    expect(t.value("{{ 'a b$(x)' | quote }}", v)).toBe(`'a b$(x)'`);
    expect(t.value('{{ {"a": 1} | combine({"b": 2}) }}', v)).toEqual({ a: 1, b: 2 });
    expect(t.value("{{ 'abc' is match('a') }} {{ 'abc' is search('c') }}", v)).toBe('True True');
  });

  it('evaluates conditionals the Ansible way, including is defined', () => {
    expect(t.condition('x is defined', {})).toBe(false);
    expect(t.condition('x is not defined', {})).toBe(true);
    expect(t.condition("os == 'bookworm' and n > 2", { os: 'bookworm', n: 3 })).toBe(true);
    expect(t.condition('{{ flag }}', { flag: false })).toBe(false);
    expect(t.condition(true, {})).toBe(true);
    expect(() => t.condition('nope', {})).toThrow(TemplateError);
  });

  it("looks up controller files and environment variables", () => {
    expect(t.value("{{ lookup('file', 'key.pub') }}", {})).toBe('ssh-ed25519 AAAA me@host');
    expect(t.value("{{ lookup('env', 'BRAMBLE_TEST') }}", {})).toBe('from env');
    expect(() => t.value("{{ lookup('pipe', 'id') }}", {})).toThrow(/lookup plugin 'pipe' is not supported/);
    expect(() => t.value("{{ lookup('file', 'nope.txt') }}", {})).toThrow(/could not find/);
  });

  it('resolves variables lazily and in any order, and reports loops', () => {
    const vars = lazyVars(t, [{ vars: { url: 'http://{{ host }}:{{ port }}', host: 'pi', port: 80, broken: '{{ nope }}' } }]);
    expect(t.value('{{ url }}', vars)).toBe('http://pi:80');
    const loop = lazyVars(t, [{ vars: { a: '{{ b }}', b: '{{ a }}' } }]);
    expect(() => t.value('{{ a }}', loop)).toThrow(/recursive loop/);
  });

  it('leaves hostile values as they are: data, not code', () => {
    const evil = `'; rm -rf / #\n$(reboot) \`id\` "quoted"`;
    expect(t.value('{{ evil }}', { evil })).toBe(evil);
    expect(t.value('[{{ evil }}]', { evil })).toBe(`[${evil}]`);
    expect(t.renderString('{{ evil }}', { evil })).toBe(evil);
  });
});
