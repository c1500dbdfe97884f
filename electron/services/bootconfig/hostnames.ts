// Expands a hostname pattern over a batch of cards: `node-{nn}` gives node-01,
// node-02…; `{n}` no padding, `{nnn}` three digits. Names must be valid RFC 1123
// labels and unique within the batch and against names already in the fleet.
import { HostnameSchema } from '../../../shared/boot-settings';
import { UserError } from '../user-error';

export function expandHostnames(pattern: string, count: number, start = 1): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = start + i;
    names.push(pattern.replace(/\{(n+)\}/g, (_, ns: string) => String(n).padStart(ns.length, '0')));
  }
  return names;
}

export function checkHostnames(names: string[], taken: Iterable<string> = []): void {
  const seen = new Set([...taken].map((t) => t.toLowerCase()));
  for (const name of names) {
    const parsed = HostnameSchema.safeParse(name);
    if (!parsed.success) throw new UserError(`"${name.slice(0, 80)}" is not a usable hostname: ${parsed.error.issues[0]!.message}.`);
    if (seen.has(name.toLowerCase())) throw new UserError(`The hostname ${name} is used twice (in this batch or by a node already in the fleet).`);
    seen.add(name.toLowerCase());
  }
}
