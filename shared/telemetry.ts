// The shape of one node's health sample, as the probe reads it: shared by the
// services that collect it and the UI that charts it.
import { z } from 'zod';

const num = z.number().finite().nullable();

export const NodeTelemetrySchema = z.object({
  /** Local receipt time (ms since the epoch): node clocks may be wrong before NTP. */
  at: z.number(),
  /** get_throttled bits; null without a working vcgencmd (no /dev/vcio). */
  throttled: z.number().int().nonnegative().nullable(),
  tempC: num,
  coreVolts: num,
  /** Pi 5 PMIC EXT5V_V: the board's 5 V input. */
  inputVolts: num,
  /** hwmon rpi_volt in0_lcrit_alarm: the kernel's own under-voltage flag. */
  lcritAlarm: z.boolean().nullable(),
  load1: num,
  load5: num,
  load15: num,
  memTotalKiB: num,
  memAvailableKiB: num,
  diskTotalKiB: num,
  diskUsedKiB: num,
  diskAvailableKiB: num,
  uptimeSeconds: num,
  bootId: z.string().nullable(),
  /** Default-route interface and its MAC. */
  iface: z.string().nullable(),
  mac: z
    .string()
    .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)
    .nullable(),
  /** How long the round trip took. */
  probeMs: z.number(),
});
export type NodeTelemetry = z.infer<typeof NodeTelemetrySchema>;

export const TelemetrySampleSchema = z.object({
  node: z.string(),
  supply: z.string().optional(),
  telemetry: NodeTelemetrySchema,
});
export type TelemetrySample = z.infer<typeof TelemetrySampleSchema>;
