import { describe, expect, it } from 'vitest';
import { decodeThrottled, parseThrottled, THROTTLE_BITS, THROTTLE_FLAGS } from '../../shared/throttle';

describe('get_throttled decoding', () => {
  it('reads the number vcgencmd prints', () => {
    expect(parseThrottled('throttled=0x50005\n')).toBe(0x50005);
    expect(parseThrottled('throttled=0x0')).toBe(0);
    expect(parseThrottled('0x80008')).toBe(0x80008);
    expect(parseThrottled('VCHI initialization failed')).toBeNull();
    expect(parseThrottled('')).toBeNull();
  });

  it('names every bit of the firmware table', () => {
    const expected: Record<string, number> = {
      underVoltageNow: 0x1,
      freqCappedNow: 0x2,
      throttledNow: 0x4,
      softTempLimitNow: 0x8,
      underVoltageSinceBoot: 0x10000,
      freqCappedSinceBoot: 0x20000,
      throttledSinceBoot: 0x40000,
      softTempLimitSinceBoot: 0x80000,
    };
    expect(THROTTLE_BITS).toEqual(expected);
    for (const [flag, mask] of Object.entries(expected)) {
      const s = decodeThrottled(mask);
      expect(s.active).toEqual([flag]);
      for (const f of THROTTLE_FLAGS) expect(s.flags[f]).toBe(f === flag);
    }
  });

  it('0x50005: under-voltage and throttled now is critical', () => {
    const s = decodeThrottled(0x50005);
    expect(s.flags.underVoltageNow).toBe(true);
    expect(s.flags.throttledNow).toBe(true);
    expect(s.flags.underVoltageSinceBoot).toBe(true);
    expect(s.flags.throttledSinceBoot).toBe(true);
    expect(s.flags.freqCappedNow).toBe(false);
    expect(s.severity).toBe('critical');
    expect(s.summary).toBe('Under-voltage now; throttled now');
    expect(s.hex).toBe('0x50005');
  });

  it('0x50000: only past events is a warning that says "since boot"', () => {
    const s = decodeThrottled(0x50000);
    expect(s.severity).toBe('warning');
    expect(s.summary).toBe('Under-voltage, throttling since boot');
  });

  it('capping or soft limit without under-voltage is a warning', () => {
    expect(decodeThrottled(0x2).severity).toBe('warning');
    expect(decodeThrottled(0x80008).summary).toBe('Soft temperature limit now');
  });

  it('0x0 is ok', () => {
    const s = decodeThrottled(0);
    expect(s.severity).toBe('ok');
    expect(s.active).toEqual([]);
    expect(s.summary).toMatch(/^OK/);
  });
});
