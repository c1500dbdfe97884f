// The pure parts of modules: lineinfile's algorithm (matched against Ansible's
// behaviour), authorized_keys merging, modes, tags and the recap format.
import { describe, expect, it } from 'vitest';
import { applyKeys, parseKey } from '../../electron/services/provision/modules/authorized-key';
import { splitCommand } from '../../electron/services/provision/modules/command';
import { normalizeMode, resolveMode } from '../../electron/services/provision/modules/files';
import { applyLine } from '../../electron/services/provision/modules/lineinfile';
import { formatRecap } from '../../electron/services/provision/recap';
import { parseFacts, tagsSelect } from '../../electron/services/provision/runner';

const li = (content: string, a: Record<string, unknown>) =>
  applyLine(content, { state: 'present', create: false, backrefs: false, firstmatch: false, path: '/x', ...a } as Parameters<typeof applyLine>[1]);

describe('lineinfile', () => {
  it('replaces the last regexp match, appends when nothing matches, and is idempotent', () => {
    expect(li('a=1\nport=1\nport=2\n', { regexp: '^port=', line: 'port=9' })).toEqual({ content: 'a=1\nport=1\nport=9\n', changed: true, msg: 'line replaced' });
    expect(li('a=1', { line: 'b=2' })).toEqual({ content: 'a=1\nb=2\n', changed: true, msg: 'line added' });
    expect(li('a=1\nb=2\n', { line: 'b=2' }).changed).toBe(false);
    expect(li('a=1\n', { regexp: '^port=', line: 'port=9', insertbefore: 'BOF' }).content).toBe('port=9\na=1\n');
    expect(li('a=1\nc=3\n', { regexp: '^b=', line: 'b=2', insertafter: '^a=' }).content).toBe('a=1\nb=2\nc=3\n');
    expect(li('x: 1\n', { regexp: '^(\\w+): 1', line: '\\1: 2', backrefs: true }).content).toBe('x: 2\n');
    expect(li('y\n', { regexp: '^(\\w+): 1', line: '\\1: 2', backrefs: true }).changed).toBe(false);
  });

  it('removes lines with state=absent', () => {
    expect(applyLine('a\nb\na\n', { state: 'absent', line: 'a' } as Parameters<typeof applyLine>[1])).toMatchObject({ content: 'b\n', changed: true });
    expect(applyLine('b\n', { state: 'absent', regexp: '^a' } as Parameters<typeof applyLine>[1]).changed).toBe(false);
  });

  it('writes hostile lines verbatim', () => {
    const evil = `x'; $(rm -rf ~) \`id\` "y"`;
    expect(li('', { line: evil }).content).toBe(`${evil}\n`);
  });
});

describe('authorized_key', () => {
  const k1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOne one@a';
  const k2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITwo two@b';
  it('adds missing keys, matches by blob, keeps other lines', () => {
    expect(applyKeys(`# mine\n${k1}\n`, k2, { state: 'present', exclusive: false })).toEqual({ content: `# mine\n${k1}\n${k2}\n`, changed: true });
    expect(applyKeys(`${k1}\n`, k1, { state: 'present', exclusive: false }).changed).toBe(false);
    expect(applyKeys(`${k1}\n`, k1.replace('one@a', 'renamed'), { state: 'present', exclusive: false }).content).toBe(`${k1.replace('one@a', 'renamed')}\n`);
    expect(applyKeys(`${k1}\n${k2}\n`, k1, { state: 'absent', exclusive: false }).content).toBe(`${k2}\n`);
    expect(applyKeys(`${k1}\n${k2}\n`, k2, { state: 'present', exclusive: true }).content).toBe(`${k2}\n`);
    expect(parseKey('from="10.0.0.1" ssh-rsa AAAAB3 c o m')).toEqual({ options: 'from="10.0.0.1"', type: 'ssh-rsa', blob: 'AAAAB3', comment: 'c o m' });
    expect(() => applyKeys('', 'not a key', { state: 'present', exclusive: false })).toThrow(/invalid key/);
  });
});

describe('modes, commands, tags, facts, recap', () => {
  it('reads modes the way Ansible does', () => {
    expect(normalizeMode(0o644)).toBe('644');
    expect(normalizeMode('0750')).toBe('750');
    expect(normalizeMode('u=rw,g=r,o=')).toBe('u=rw,g=r,o=');
    expect(() => normalizeMode('rwx; rm -rf')).toThrow(/mode must be/);
    expect(resolveMode('u=rw,g=r,o=', '755', false)).toBe('640');
    expect(resolveMode('g+w', '644', false)).toBe('664');
    expect(resolveMode('a+X', '644', true)).toBe('755');
  });

  it('splits command lines like shlex, expanding nothing', () => {
    expect(splitCommand(`echo "a b" $HOME 'c d' x|y`)).toEqual(['echo', 'a b', '$HOME', 'c d', 'x', '|', 'y']);
  });

  it('selects tasks by tags like Ansible', () => {
    expect(tagsSelect([], undefined, undefined)).toBe(true);
    expect(tagsSelect(['never'], undefined, undefined)).toBe(false);
    expect(tagsSelect(['web'], ['db'], undefined)).toBe(false);
    expect(tagsSelect(['always'], ['db'], undefined)).toBe(true);
    expect(tagsSelect(['web'], undefined, ['web'])).toBe(false);
    expect(tagsSelect(['never', 'debug'], ['debug'], undefined)).toBe(true);
  });

  it('reads facts from one command', () => {
    const f = parseFacts('hostname=pi1\nfqdn=pi1\nmachine=aarch64\nkernel=6.6\nsystem=Linux\nuser=pi\nuid=1000\nhome=/home/pi\nshell=/bin/bash\npath=/usr/bin\n---\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nNAME="Debian GNU/Linux"\n');
    expect(f).toMatchObject({ hostname: 'pi1', architecture: 'aarch64', distribution: 'Debian', distribution_release: 'bookworm', distribution_major_version: '12', os_family: 'Debian', env: { HOME: '/home/pi' } });
  });

  it('prints the recap in the shape of Ansible PLAY RECAP', () => {
    const out = formatRecap({ 'node-02': { ok: 3, changed: 1, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 }, 'node-01': { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 } });
    expect(out).toBe(
      '\nPLAY RECAP **********************************************************************\n' +
        'node-01                    : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0   \n' +
        'node-02                    : ok=3    changed=1    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0   \n',
    );
  });
});
