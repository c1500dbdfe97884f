// What a playbook run reports while it runs and when it ends: the same shapes
// for Bramble's own runner and for a run through ansible-playbook.

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface TaskOutput {
  rc?: number | null;
  stdout?: string;
  stderr?: string;
  diff?: { before: string; after: string };
  /** Per-item results of a loop, in order. */
  items?: { item: unknown; status: TaskStatus; msg?: string }[];
}

export type ProvisionEvent =
  | { type: 'play-start'; play: string; hosts: string[] }
  | { type: 'task-start'; play: string; task: string; host: string }
  | {
      type: 'task-result';
      play: string;
      task: string;
      host: string;
      status: TaskStatus;
      /** A failure that ignore_errors let through (counted as ignored, not failed). */
      ignored?: boolean;
      msg?: string;
      output?: TaskOutput;
      durationMs: number;
    }
  | { type: 'recap'; recap: Recap };

export interface HostRecap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export type Recap = Record<string, HostRecap>;

export function emptyHostRecap(): HostRecap {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}

/** True when every host ended without failures or unreachability. */
export function recapSucceeded(recap: Recap): boolean {
  return Object.values(recap).every((h) => h.failed === 0 && h.unreachable === 0);
}
