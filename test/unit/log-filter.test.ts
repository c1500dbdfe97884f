import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../shared/logs/log-entry';
import { compileLogFilter, filterLog, LogFilterError } from '../../shared/logs/log-filter';
import { classifyPowerLine } from '../../shared/logs/power-lines';

const e = (over: Partial<LogEntry>): LogEntry => {
  const message = over.message ?? 'hello';
  return { node: 'n1', at: 1000, realtimeUs: undefined, priority: 6, unit: undefined, identifier: undefined, pid: undefined, message, kernel: false, cursor: undefined, bootId: undefined, power: classifyPowerLine(message), ...over };
};

const entries = [
  e({ message: 'Started ssh', unit: 'ssh.service', identifier: 'systemd', priority: 6, at: 1000 }),
  e({ message: 'Failed password for pi', unit: 'ssh.service', identifier: 'sshd', priority: 3, at: 2000, node: 'n2' }),
  e({ message: 'Under-voltage detected! (0x00050005)', kernel: true, priority: 2, at: 3000 }),
  e({ message: 'dhcp lease renewed', unit: 'NetworkManager.service', priority: 7, at: 4000 }),
  e({ message: 'plain dmesg line', kernel: true, priority: null, at: 5000 }),
];
const msgs = (f: Parameters<typeof filterLog>[1]) => filterLog(entries, f).map((x) => x.message);

describe('log filters', () => {
  it('by unit (a bare name means its .service), node and identifier', () => {
    expect(msgs({ units: ['ssh'] })).toEqual(['Started ssh', 'Failed password for pi']);
    expect(msgs({ units: ['NetworkManager.service'] })).toEqual(['dhcp lease renewed']);
    expect(msgs({ nodes: ['n2'] })).toEqual(['Failed password for pi']);
    expect(msgs({ identifiers: ['sshd'] })).toEqual(['Failed password for pi']);
  });

  it('by priority: up to the chosen level; lines without one stay', () => {
    expect(msgs({ maxPriority: 3 })).toEqual(['Failed password for pi', 'Under-voltage detected! (0x00050005)', 'plain dmesg line']);
  });

  it('by time range, inclusive', () => {
    expect(msgs({ from: 2000, to: 3000 })).toEqual(['Failed password for pi', 'Under-voltage detected! (0x00050005)']);
  });

  it('by text (any case) and by regex', () => {
    expect(msgs({ text: 'FAILED' })).toEqual(['Failed password for pi']);
    expect(msgs({ regex: '^(started|dhcp)' })).toEqual(['Started ssh', 'dhcp lease renewed']);
    expect(msgs({ regex: '^started', caseSensitive: true })).toEqual([]);
    expect(() => compileLogFilter({ regex: '(' })).toThrow(LogFilterError);
  });

  it('kernel and power lines only', () => {
    expect(msgs({ kernel: true })).toEqual(['Under-voltage detected! (0x00050005)', 'plain dmesg line']);
    expect(msgs({ power: true })).toEqual(['Under-voltage detected! (0x00050005)']);
    expect(msgs({ power: ['throttling'] })).toEqual([]);
  });

  it('filters combine', () => {
    expect(msgs({ units: ['ssh'], maxPriority: 4, text: 'password' })).toEqual(['Failed password for pi']);
    expect(msgs({})).toHaveLength(entries.length);
  });
});
