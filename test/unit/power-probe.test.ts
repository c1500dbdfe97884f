// The probe script run by a real /bin/sh on this machine (no vcgencmd here),
// and the parser over what a Pi 4 and a Pi 5 print.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ExecResult, RemoteExec } from '../../electron/services/ssh/remote-exec';
import { parseTelemetry, probeTelemetry } from '../../electron/services/power/telemetry-probe';

/** A RemoteExec that runs the command line with this machine's sh, with a PATH that has no vcgencmd. */
const localExec: RemoteExec = {
  exec: (command, opts = {}) =>
    new Promise<ExecResult>((resolve, reject) => {
      const started = Date.now();
      const p = spawn('/bin/sh', ['-c', command], { env: { PATH: '/usr/bin:/bin' } });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d));
      p.stderr.on('data', (d: Buffer) => (stderr += d));
      p.on('error', reject);
      p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started }));
      p.stdin.end(opts.stdin ?? '');
    }),
};

describe('telemetry probe', () => {
  it('without vcgencmd: nulls for the Pi values, real numbers for the rest', async () => {
    const t = await probeTelemetry(localExec);
    expect(t.throttled).toBeNull();
    expect(t.coreVolts).toBeNull();
    expect(t.inputVolts).toBeNull();
    expect(t.uptimeSeconds).toBeGreaterThan(0);
    expect(t.load1).toBeGreaterThanOrEqual(0);
    expect(t.memTotalKiB).toBeGreaterThan(t.memAvailableKiB!);
    expect(t.diskTotalKiB).toBeGreaterThan(0);
    expect(t.bootId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('parses a Pi 5 answer', () => {
    const out = [
      'throttled=0x50005',
      "temp=61.3'C",
      'volt=0.8512V',
      '       EXT5V_V volt(24)=4.81230000V',
      'temp_milli=61300',
      'lcrit=1',
      'uptime=1234.56',
      'load=0.52 0.49 0.66',
      'memtotal=8245000',
      'memavail=7000000',
      'boot=148c4ded-6aa6-4f16-ac10-2ae05609c4e3',
      'mac=eth0 D8:3A:DD:01:02:03',
      'Filesystem     1024-blocks    Used Available Capacity Mounted on',
      '/dev/mmcblk0p2    30000000 4000000  26000000      14% /',
    ].join('\n');
    const t = parseTelemetry(out, 5, 7);
    expect(t).toEqual({
      at: 5, throttled: 0x50005, tempC: 61.3, coreVolts: 0.8512, inputVolts: 4.8123, lcritAlarm: true, load1: 0.52, load5: 0.49, load15: 0.66,
      memTotalKiB: 8245000, memAvailableKiB: 7000000, diskTotalKiB: 30000000, diskUsedKiB: 4000000, diskAvailableKiB: 26000000,
      uptimeSeconds: 1234.56, bootId: '148c4ded-6aa6-4f16-ac10-2ae05609c4e3', iface: 'eth0', mac: 'd8:3a:dd:01:02:03', probeMs: 7,
    });
  });

  it('a Pi 4 answering pmic_read_adc with an error has no input volts; thermal zone stands in for vcgencmd', () => {
    const t = parseTelemetry('vc_gencmd_read_response returned -1\nerror=1 error_msg="Command not registered"\ntemp_milli=45123\n', 1, 1);
    expect(t.inputVolts).toBeNull();
    expect(t.throttled).toBeNull();
    expect(t.tempC).toBeCloseTo(45.123);
  });
});
