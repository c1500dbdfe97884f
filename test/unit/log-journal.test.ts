import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../electron/services/logs/line-splitter';
import { parseDmesgLine, parseJournalJson } from '../../shared/logs/log-entry';
import { formatLogText } from '../../electron/services/logs/log-export';
import { journalctlArgs } from '../../electron/services/logs/follow-log';
import { classifyPowerLine } from '../../shared/logs/power-lines';

const line = (o: Record<string, unknown>) => JSON.stringify({ __REALTIME_TIMESTAMP: '1700000000123456', PRIORITY: '4', _SYSTEMD_UNIT: 'ssh.service', SYSLOG_IDENTIFIER: 'sshd', _PID: '812', _BOOT_ID: 'b1', __CURSOR: 's=x;i=9', ...o });

describe('journal entries', () => {
  it('parses the fields the log view shows', () => {
    const e = parseJournalJson(line({ MESSAGE: 'Accepted publickey for pi' }), 'node-01')!;
    expect(e).toEqual({
      node: 'node-01', at: 1700000000123, realtimeUs: '1700000000123456', priority: 4, unit: 'ssh.service', identifier: 'sshd', pid: 812,
      message: 'Accepted publickey for pi', kernel: false, cursor: 's=x;i=9', bootId: 'b1', power: null,
    });
  });

  it('decodes a MESSAGE journald sent as a byte array (not valid UTF-8 or with control bytes)', () => {
    const bytes = [...Buffer.from('colour \x1b[31mred\x1b[0m caf\u00e9', 'utf8')];
    expect(parseJournalJson(line({ MESSAGE: bytes }))!.message).toBe('colour \x1b[31mred\x1b[0m caf\u00e9');
    // Invalid UTF-8 shows as replacement characters rather than failing.
    expect(parseJournalJson(line({ MESSAGE: [0x6f, 0x6b, 0xff] }))!.message).toBe('ok\ufffd');
  });

  it('copes with missing and repeated fields and with lines that are not entries', () => {
    const e = parseJournalJson(JSON.stringify({ __REALTIME_TIMESTAMP: '1000', MESSAGE: ['first', 'second'], _TRANSPORT: 'kernel' }))!;
    expect([e.message, e.priority, e.unit, e.pid, e.kernel]).toEqual(['first', null, undefined, undefined, true]);
    expect(parseJournalJson(JSON.stringify({ MESSAGE: null }))!.message).toBe('');
    expect(parseJournalJson('-- No entries --')).toBeNull();
    expect(parseJournalJson('[1,2]')).toBeNull();
  });

  it('flags power lines of both kernel generations', () => {
    expect(classifyPowerLine('Under-voltage detected! (0x00050005)')).toBe('under-voltage');
    expect(classifyPowerLine('hwmon hwmon1: Undervoltage detected!')).toBe('under-voltage');
    expect(classifyPowerLine('Voltage normalised (0x00000000)')).toBe('voltage-normalised');
    expect(classifyPowerLine('cpu cpu0: CPU frequency capped')).toBe('throttling');
    expect(classifyPowerLine('Accepted publickey for pi')).toBeNull();
    expect(parseJournalJson(line({ MESSAGE: 'Under-voltage detected! (0x00050005)' }))!.power).toBe('under-voltage');
  });

  it('parses plain dmesg lines against the boot time', () => {
    const e = parseDmesgLine('[   12.500000] hwmon hwmon1: Undervoltage detected!', 1_000_000, 5, 'n')!;
    expect([e.at, e.message, e.kernel, e.power, e.node]).toEqual([1_012_500, 'hwmon hwmon1: Undervoltage detected!', true, 'under-voltage', 'n']);
    expect(parseDmesgLine('[    1.000000] x', undefined, 77)!.at).toBe(77);
  });

  it('splits chunks into lines, also inside a multi-byte character', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('one\ncaf\u00e9\nthr', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of é
    expect(s.push(bytes.subarray(0, cut))).toEqual(['one']);
    expect(s.push(bytes.subarray(cut))).toEqual(['caf\u00e9']);
    expect(s.push(Buffer.from('ee\n'))).toEqual(['three']);
    expect(s.push(Buffer.from('tail'))).toEqual([]);
    expect(s.end()).toEqual(['tail']);
  });

  it('builds journalctl argv with every value in its own --opt=value word', () => {
    expect(journalctlArgs({ follow: true, unit: '-f; rm -rf /', priority: 3, since: 1_700_000_000_500, kernel: true })).toEqual([
      'journalctl', '--no-pager', '--output=json', '--dmesg', '--unit=-f; rm -rf /', '--priority=0..3', '--since=@1700000000.500', '--lines=all', '--follow',
    ]);
    expect(journalctlArgs({ follow: true })).toContain('--lines=0');
    expect(journalctlArgs({ follow: false, lines: 50, priority: [2, 4] })).toEqual(['journalctl', '--no-pager', '--output=json', '--priority=2..4', '--lines=50']);
    expect(() => journalctlArgs({ follow: false, priority: 9 })).toThrow(/0\.\.7/);
  });

  it('exports readable text, one timestamped line per entry', () => {
    const a = parseJournalJson(line({ MESSAGE: 'two\nlines' }), 'node-01')!;
    const b = parseJournalJson(line({ MESSAGE: 'Under-voltage detected! (0x00050005)', _TRANSPORT: 'kernel', PRIORITY: '2' }), 'node-02')!;
    expect(formatLogText([a, b], 'Bramble log export\nnodes: node-01, node-02')).toBe(
      [
        '# Bramble log export',
        '# nodes: node-01, node-02',
        '2023-11-14T22:13:20.123Z node-01 sshd[812] <warning>: two',
        '    lines',
        '2023-11-14T22:13:20.123Z node-02 kernel <crit> {power: under-voltage}: Under-voltage detected! (0x00050005)',
        '',
      ].join('\n'),
    );
  });
});
