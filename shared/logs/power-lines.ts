// Kernel and firmware lines that matter for power: flagged so the UI can
// highlight them and tie them to the power timeline. Both kernel generations
// are covered: `Under-voltage detected! (0x00050005)` and mainline hwmon's
// `Undervoltage detected!`.
export type PowerLineKind = 'under-voltage' | 'voltage-normalised' | 'throttling';

export const UNDER_VOLTAGE_LINE = /Under-?voltage detected!/i;
const NORMALISED = /Voltage normali[sz]ed/i;
const THROTTLING = /\b(?:throttl(?:ed|ing)\b|frequency capped|soft temperature limit)/i;

export function classifyPowerLine(message: string): PowerLineKind | null {
  if (UNDER_VOLTAGE_LINE.test(message)) return 'under-voltage';
  if (NORMALISED.test(message)) return 'voltage-normalised';
  if (THROTTLING.test(message)) return 'throttling';
  return null;
}
