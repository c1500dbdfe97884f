// How the CLI prints nodes and run results for a person (JSON goes out as is).
import type { NodeState } from '../../shared/fleet';
import type { NodeRunResult } from '../services/fleet/run-on-nodes';

export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}

export function stateTable(states: NodeState[]): string {
  if (states.length === 0) return 'The fleet is empty. Add a node with `bramble fleet add NAME --host H --user U`.';
  const rows = states.map((s) => {
    const v = s.vitals;
    return [
      s.name,
      s.status,
      s.address ?? '',
      v ? formatUptime(v.uptimeSeconds) : '',
      v ? v.load1.toFixed(2) : '',
      v?.tempC != null ? `${v.tempC.toFixed(1)}°C` : '',
      v?.throttled != null ? `0x${v.throttled.toString(16)}` : '',
      s.status === 'online' ? (s.detail ?? '') : (s.detail ?? ''),
    ];
  });
  const head = ['NODE', 'STATUS', 'ADDRESS', 'UPTIME', 'LOAD', 'TEMP', 'THROTTLED', 'DETAIL'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export function runRecap(results: NodeRunResult[]): string {
  const width = Math.max(...results.map((r) => r.node.length));
  const lines = results.map((r) => `${r.node.padEnd(width)}  ${r.status.padEnd(9)} ${(r.durationMs / 1000).toFixed(1)} s${r.error ? `  ${r.error}` : ''}`);
  const failed = results.filter((r) => r.status !== 'ok').length;
  return [...lines, `${results.length - failed} ok, ${failed} failed`].join('\n');
}
