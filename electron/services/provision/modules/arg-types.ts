// Argument types the way Ansible coerces them: booleans from yes/no/true/1,
// lists from YAML lists or comma-separated strings, numbers from strings.
import { z } from 'zod';

const TRUE = new Set(['yes', 'on', '1', 'true', 'y', 't']);
const FALSE = new Set(['no', 'off', '0', 'false', 'n', 'f', '']);

function toFlag(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return v;
}

export function flag(dflt: boolean) {
  return z.preprocess(toFlag, z.boolean()).default(dflt);
}
export const optFlag = z.preprocess(toFlag, z.boolean()).optional();

export const strList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : Array.isArray(v) ? v.map(String) : v),
  z.array(z.string()),
);

export const num = z.coerce.number();

/** Any scalar as text (Ansible stringifies str-typed options). */
export const text = z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string());
