// The PLAY RECAP block as ansible-playbook prints it without colour (host padded
// to 26, each count as `name=%-4s`, hosts sorted), so whoever reads Ansible's
// output reads Bramble's the same way.
import type { Recap } from './events';

export function formatRecap(recap: Recap): string {
  const cell = (name: string, n: number) => `${name}=${String(n).padEnd(4)}`;
  const lines = Object.keys(recap)
    .sort()
    .map((h) => {
      const r = recap[h]!;
      return `${h.padEnd(26)} : ${[cell('ok', r.ok), cell('changed', r.changed), cell('unreachable', r.unreachable), cell('failed', r.failed), cell('skipped', r.skipped), cell('rescued', r.rescued), cell('ignored', r.ignored)].join(' ')}`;
    });
  return `\nPLAY RECAP ${'*'.repeat(70)}\n${lines.join('\n')}\n`;
}
