// One round trip per node per poll: a fixed script sent on stdin to `sh -s`,
// mostly shell builtins reading /proc and /sys (a poll of 250 nodes a second
// must not fork much on the Pis either), plus the few vcgencmd calls that have
// no file to read. Nothing from the inventory ever goes into the script; its
// one argument is a fixed word.
import { parseThrottled } from '../../../shared/throttle';
import { commandLine, type RemoteExec } from '../ssh/remote-exec';
import { NodeTelemetrySchema, type NodeTelemetry } from '../../../shared/telemetry';

const PROBE_BODY = String.raw`export LC_ALL=C
if command -v vcgencmd >/dev/null 2>&1; then
  vcgencmd get_throttled 2>/dev/null
  vcgencmd measure_temp 2>/dev/null
  vcgencmd measure_volts core 2>/dev/null
  [ "$1" = nopmic ] || vcgencmd pmic_read_adc EXT5V_V 2>/dev/null
fi
if [ -r /sys/class/thermal/thermal_zone0/temp ]; then read t </sys/class/thermal/thermal_zone0/temp && echo "temp_milli=$t"; fi
for h in /sys/class/hwmon/hwmon*; do
  [ -r "$h/name" ] || continue
  read n <"$h/name"
  if [ "$n" = rpi_volt ] && [ -r "$h/in0_lcrit_alarm" ]; then read a <"$h/in0_lcrit_alarm" && echo "lcrit=$a"; fi
done
read u _ </proc/uptime && echo "uptime=$u"
read l1 l5 l15 _ </proc/loadavg && echo "load=$l1 $l5 $l15"
while read k v _; do
  case $k in MemTotal:) echo "memtotal=$v" ;; MemAvailable:) echo "memavail=$v"; break ;; esac
done </proc/meminfo
read b </proc/sys/kernel/random/boot_id && echo "boot=$b"
while read i d _; do
  if [ "$d" = 00000000 ]; then
    [ -r "/sys/class/net/$i/address" ] && read m <"/sys/class/net/$i/address" && echo "mac=$i $m"
    break
  fi
done </proc/net/route 2>/dev/null
df -Pk / 2>/dev/null
`;

// Collected first and written at once: one SSH data packet per sample rather than one per line.
export const PROBE_SCRIPT = `probe() {
${PROBE_BODY}}
out=$(probe "$1")
printf '%s\\n' "$out"
exit 0
`;

/** Marks the end of one sample in stream mode. */
export const SAMPLE_END = '@@bramble-sample';

/**
 * Stream mode: the same probe in a loop on the node, one sample every $2
 * seconds over one long-lived channel (no new session per poll). It ends when
 * the channel closes (the next write fails).
 */
export const PROBE_STREAM_SCRIPT = `probe() {
${PROBE_BODY}}
while :; do
  out=$(probe "$1")
  printf '%s\\n%s\\n' "$out" ${SAMPLE_END} || exit 0
  sleep "$2" || exit 0
done
`;

export interface ProbeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Skip `pmic_read_adc` (a board that is not a Pi 5 answers it with an error every time). */
  skipPmic?: boolean;
}

export async function probeTelemetry(exec: RemoteExec, opts: ProbeOptions = {}): Promise<NodeTelemetry> {
  const started = Date.now();
  const r = await exec.exec(commandLine(['sh', '-s', '--', opts.skipPmic ? 'nopmic' : 'pmic']), {
    stdin: PROBE_SCRIPT,
    timeoutMs: opts.timeoutMs ?? 5000,
    signal: opts.signal,
  });
  if (r.code !== 0) throw new Error(`the health probe failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  return parseTelemetry(r.stdout, Date.now(), Date.now() - started);
}

const finite = (s: string | undefined): number | null => {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

export function parseTelemetry(out: string, at: number, probeMs: number): NodeTelemetry {
  const v: Record<string, string> = {};
  let tempVc: number | null = null;
  let coreVolts: number | null = null;
  let inputVolts: number | null = null;
  let disk: string[] = [];
  for (const line of out.split('\n')) {
    const t = line.trim();
    let m: RegExpExecArray | null;
    // df -Pk: "FILESYSTEM 1024-BLOCKS USED AVAILABLE CAPACITY /"
    if ((m = /^\S+\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+%\s+\/$/.exec(t))) disk = [m[1]!, m[2]!, m[3]!];
    else if ((m = /^temp=(-?[\d.]+)'C$/.exec(t))) tempVc = finite(m[1]);
    else if ((m = /^volt=([\d.]+)V$/.exec(t))) coreVolts = finite(m[1]);
    else if ((m = /^EXT5V_V volt\(\d+\)=([\d.]+)V$/.exec(t))) inputVolts = finite(m[1]);
    else if ((m = /^([a-z_]+)=(.*)$/.exec(t))) v[m[1]!] ??= m[2]!;
  }
  const [l1, l5, l15] = (v.load ?? '').split(' ');
  const [dTotal, dUsed, dAvail] = disk;
  const [iface, mac] = (v.mac ?? '').split(' ');
  const milli = finite(v.temp_milli);
  const macOk = mac && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac.toLowerCase()) ? mac.toLowerCase() : null;
  return NodeTelemetrySchema.parse({
    at,
    throttled: v.throttled !== undefined ? parseThrottled(`throttled=${v.throttled}`) : null,
    tempC: tempVc ?? (milli !== null ? milli / 1000 : null),
    coreVolts,
    inputVolts,
    lcritAlarm: v.lcrit === '1' ? true : v.lcrit === '0' ? false : null,
    load1: finite(l1),
    load5: finite(l5),
    load15: finite(l15),
    memTotalKiB: finite(v.memtotal),
    memAvailableKiB: finite(v.memavail),
    diskTotalKiB: finite(dTotal),
    diskUsedKiB: finite(dUsed),
    diskAvailableKiB: finite(dAvail),
    uptimeSeconds: finite(v.uptime),
    bootId: v.boot && /^[0-9a-f-]{8,64}$/i.test(v.boot) ? v.boot : null,
    iface: macOk ? iface! : null,
    mac: macOk,
    probeMs,
  });
}
