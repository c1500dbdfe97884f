// The few numbers a fleet tile shows, read in one round trip. The command is a
// fixed line (nothing from the inventory goes into it).
import type { NodeVitals } from '../../../shared/fleet';
import type { RemoteExec } from '../ssh/remote-exec';

const PROBE = [
  'cat /proc/uptime /proc/loadavg',
  "grep -E '^(MemTotal|MemAvailable):' /proc/meminfo",
  '{ vcgencmd measure_temp || echo "temp_milli=$(cat /sys/class/thermal/thermal_zone0/temp)"; } 2>/dev/null',
  '{ vcgencmd get_throttled || echo throttled=; } 2>/dev/null',
  'true',
].join('; ');

export async function readVitals(exec: RemoteExec, timeoutMs = 5000): Promise<NodeVitals> {
  const { stdout } = await exec.exec(PROBE, { timeoutMs });
  return parseVitals(stdout, Date.now());
}

export function parseVitals(out: string, at: number): NodeVitals {
  const lines = out.split('\n');
  const uptimeSeconds = Number.parseFloat(lines[0] ?? '') || 0;
  const load1 = Number.parseFloat(lines[1] ?? '') || 0;
  const kib = (key: string) => Number(/(\d+)\s*kB/.exec(lines.find((l) => l.startsWith(`${key}:`)) ?? '')?.[1] ?? 0);
  const temp = /temp=([\d.]+)/.exec(out)?.[1];
  const milli = /temp_milli=(\d+)/.exec(out)?.[1];
  const throttled = /throttled=(0x[0-9a-f]+)/i.exec(out)?.[1];
  return {
    uptimeSeconds,
    load1,
    memTotalKiB: kib('MemTotal'),
    memAvailableKiB: kib('MemAvailable'),
    tempC: temp ? Number(temp) : milli ? Number(milli) / 1000 : null,
    throttled: throttled ? Number.parseInt(throttled, 16) : null,
    at,
  };
}
