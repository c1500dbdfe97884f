// Provisioning as the Node panel sees it: the playbooks to choose from, what the
// user chose (playbook, variables, targets, check mode, engine), the runs with
// their live events, each node's run history, and whether Ansible is there.
import { create } from 'zustand';
import type { PlaybookInfo, ProvisionEventView, ProvisionRun } from '../../shared/provision';
import { bridge } from '../bridge';

export type Engine = 'bramble' | 'ansible';
export type RunState = ProvisionRun['state'];
export type Recap = NonNullable<ProvisionRun['recap']>;

/** Where a run goes: the node whose panel is open, one group, or the whole fleet. */
export type Target = { kind: 'node' } | { kind: 'group'; group: string } | { kind: 'all' };

/** A run as the renderer follows it: the same shape as history, filled in as events arrive. */
export type LiveRun = ProvisionRun;

export interface SshKeyChoice {
  label: string;
  key: string;
}

interface ProvisionState {
  playbooks: PlaybookInfo[];
  loaded: boolean;
  loadError: string | undefined;
  /** The chosen playbook's id (`builtin:…` or a file path). */
  chosen: string | undefined;
  inspecting: boolean;
  inspectError: string | undefined;
  /** Values for the chosen playbook's required variables, by name. */
  vars: Record<string, string>;
  target: Target;
  check: boolean;
  /** Per tag of the chosen playbook: run only tasks carrying it, or skip them. Unnamed tags run as usual. */
  tagChoice: Record<string, TagChoice>;
  /** How many nodes run at once. */
  forks: number;
  engine: Engine;
  becomePassword: string;
  ansible: { path?: string; version?: string } | undefined;
  keys: SshKeyChoice[];
  runs: Record<string, LiveRun>;
  /** The run each node panel shows (the last one started from it). */
  shownRun: Record<string, string>;
  runError: string | undefined;
  history: Record<string, ProvisionRun[]>;
  historyError: string | undefined;
  load(): Promise<void>;
  loadKeys(): Promise<void>;
  choose(id: string): void;
  inspect(path: string): Promise<void>;
  pick(): Promise<{ path?: string; error?: string }>;
  setVar(name: string, value: string): void;
  setTarget(target: Target): void;
  setCheck(check: boolean): void;
  setTagChoice(tag: string, choice: TagChoice | undefined): void;
  setForks(forks: number): void;
  setEngine(engine: Engine): void;
  setBecomePassword(password: string): void;
  start(fromNode: string, nodes: string[]): Promise<void>;
  cancel(runId: string): Promise<void>;
  dismiss(fromNode: string): void;
  loadHistory(node: string): Promise<void>;
  exportProject(nodes: string[], dir: string): Promise<{ dir: string; files: string[] }>;
}

export type TagChoice = 'only' | 'skip';
const DEFAULT_FORKS = 16;

function tagFilter(known: string[], choice: Record<string, TagChoice>): { tags?: string[]; skipTags?: string[] } {
  const pick = (c: TagChoice) => known.filter((t) => choice[t] === c);
  const tags = pick('only');
  const skipTags = pick('skip');
  return { ...(tags.length ? { tags } : {}), ...(skipTags.length ? { skipTags } : {}) };
}

export const useProvision = create<ProvisionState>()((set, get) => ({
  playbooks: [],
  loaded: false,
  loadError: undefined,
  chosen: undefined,
  inspecting: false,
  inspectError: undefined,
  vars: {},
  target: { kind: 'node' },
  check: false,
  tagChoice: {},
  forks: DEFAULT_FORKS,
  engine: 'bramble',
  becomePassword: '',
  ansible: undefined,
  keys: [],
  runs: {},
  shownRun: {},
  runError: undefined,
  history: {},
  historyError: undefined,

  async load() {
    // Ansible's absence must not hide the playbooks, so the two are asked separately.
    const [playbooks, ansible, active] = await Promise.allSettled([bridge.provision.playbooks({}), bridge.provision.ansible({}), bridge.provision.active({})]);
    if (active.status === 'fulfilled') adoptActive(active.value);
    set({
      playbooks: playbooks.status === 'fulfilled' ? playbooks.value : get().playbooks,
      loadError: playbooks.status === 'rejected' ? (playbooks.reason as Error).message : undefined,
      ansible: ansible.status === 'fulfilled' ? ansible.value : {},
      loaded: true,
    });
  },

  async loadKeys() {
    const [mine, cluster] = await Promise.allSettled([bridge.boot.sshKeys({}), bridge.boot.clusterKey({})]);
    // The user's own keys first: "your SSH key authorised" is what the base node promises.
    const keys: SshKeyChoice[] = mine.status === 'fulfilled' ? mine.value.map((k) => ({ label: baseName(k.file), key: k.key.trim() })) : [];
    if (cluster.status === 'fulfilled' && !keys.some((k) => k.key === cluster.value.key.trim())) keys.push({ label: 'Bramble’s cluster key', key: cluster.value.key.trim() });
    set({ keys });
    // A key is the common case: choose one up front rather than leave the form empty.
    if (!get().vars.ssh_public_key && keys[0]) get().setVar('ssh_public_key', keys[0].key);
  },

  // Tags belong to one playbook: a choice made for another would filter blindly.
  choose: (chosen) => set((s) => ({ chosen, inspectError: undefined, tagChoice: chosen === s.chosen ? s.tagChoice : {} })),

  async inspect(path) {
    set({ inspecting: true, inspectError: undefined });
    try {
      const info = await bridge.provision.inspect({ path });
      set((s) => ({ playbooks: [...s.playbooks.filter((p) => p.id !== info.id), info], chosen: info.id, inspecting: false }));
    } catch (error) {
      set({ inspecting: false, inspectError: (error as Error).message });
    }
  },

  async pick() {
    try {
      const { path } = await bridge.provision.pick({});
      if (path) await get().inspect(path);
      return { path };
    } catch (error) {
      return { error: (error as Error).message };
    }
  },

  setVar: (name, value) => set((s) => ({ vars: { ...s.vars, [name]: value } })),
  setTarget: (target) => set({ target }),
  setCheck: (check) => set({ check }),
  setTagChoice: (tag, choice) =>
    set((s) => {
      const tagChoice = { ...s.tagChoice };
      if (choice) tagChoice[tag] = choice;
      else delete tagChoice[tag];
      return { tagChoice };
    }),
  setForks: (forks) => set({ forks: Math.min(256, Math.max(1, Math.round(forks) || DEFAULT_FORKS)) }),
  setEngine: (engine) => set({ engine }),
  setBecomePassword: (becomePassword) => set({ becomePassword }),

  async start(fromNode, nodes) {
    const { chosen, playbooks, vars, check, engine, becomePassword, tagChoice, forks } = get();
    const playbook = playbooks.find((p) => p.id === chosen);
    if (!playbook) return;
    set({ runError: undefined });
    // Only the chosen playbook's own variables go along; the form may hold others' from before.
    const filter = tagFilter(playbook.tags, tagChoice);
    const extraVars = Object.fromEntries(playbook.requiredVars.map((name) => [name, (vars[name] ?? '').trim()]));
    try {
      const { runId } = await bridge.provision.run({
        playbook: playbook.id,
        nodes,
        check,
        engine,
        ...filter,
        forks,
        extraVars: Object.keys(extraVars).length ? extraVars : undefined,
        becomePassword: becomePassword || undefined,
      });
      const run: LiveRun = { runId, playbook: playbook.id, engine, check, ...filter, nodes, startedAt: Date.now(), state: 'running', events: [] };
      set((s) => ({ runs: { ...s.runs, [runId]: run }, shownRun: { ...s.shownRun, [fromNode]: runId } }));
      // Events that raced ahead of the reply were parked; apply them now, in order.
      const early = parked.get(runId) ?? [];
      parked.delete(runId);
      for (const apply of early) apply();
    } catch (error) {
      set({ runError: (error as Error).message });
    }
  },

  async cancel(runId) {
    if (get().runs[runId]?.state === 'running') await bridge.provision.cancel({ runId });
  },

  dismiss(fromNode) {
    set((s) => {
      const shownRun = { ...s.shownRun };
      delete shownRun[fromNode];
      return { shownRun, runError: undefined };
    });
  },

  async loadHistory(node) {
    try {
      const runs = await bridge.provision.history({ node });
      set((s) => ({ history: { ...s.history, [node]: runs }, historyError: undefined }));
    } catch (error) {
      set({ historyError: (error as Error).message });
    }
  },

  exportProject(nodes, dir) {
    const { chosen } = get();
    if (!chosen) return Promise.reject(new Error('Choose a playbook to export first.'));
    return bridge.provision.export({ playbook: chosen, nodes, dir });
  },
}));

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * Events for runs the renderer does not know yet: `provision:run` starts the
 * runner before it answers, so the first events can beat the runId here. Runs
 * started elsewhere (another window, the CLI) never claim theirs, hence the cap.
 */
const parked = new Map<string, (() => void)[]>();
const PARKED_RUNS_MAX = 20;

function withRun(runId: string, apply: (run: LiveRun) => LiveRun): void {
  const run = useProvision.getState().runs[runId];
  if (run) {
    useProvision.setState((s) => ({ runs: { ...s.runs, [runId]: apply(s.runs[runId] ?? run) } }));
    return;
  }
  const list = parked.get(runId) ?? [];
  list.push(() => withRun(runId, apply));
  parked.set(runId, list);
  if (parked.size > PARKED_RUNS_MAX) parked.delete(parked.keys().next().value!);
}

/**
 * Runs already going when this window loaded (it was reloaded, or another
 * window started them): shown in the panels of their nodes that show nothing
 * else, and kept in step from here. Events parked meanwhile are applied after
 * the snapshot; those it already holds are skipped by their sequence number.
 */
function adoptActive(active: ProvisionRun[]): void {
  useProvision.setState((s) => {
    const runs = { ...s.runs };
    const shownRun = { ...s.shownRun };
    for (const run of active) {
      if (runs[run.runId]) continue;
      runs[run.runId] = run;
      for (const node of run.nodes) shownRun[node] ??= run.runId;
    }
    return { runs, shownRun };
  });
  for (const run of active) {
    const early = parked.get(run.runId) ?? [];
    parked.delete(run.runId);
    for (const apply of early) apply();
  }
}

/** Puts a finished run at the top of each loaded history it belongs to (only those the user has opened). */
function addToHistory(run: ProvisionRun): void {
  useProvision.setState((s) => {
    const history = { ...s.history };
    for (const node of run.nodes) {
      const list = history[node];
      if (list) history[node] = [run, ...list.filter((r) => r.runId !== run.runId)].sort((a, b) => b.startedAt - a.startedAt);
    }
    return { history };
  });
}

function applyEvent(run: LiveRun, event: ProvisionEventView): LiveRun {
  return { ...run, events: [...run.events, event], recap: event.type === 'recap' ? event.recap : run.recap };
}

/**
 * Keeps runs in step with the events the main process pushes, and history fresh
 * when one ends. Subscribed once for the app's life (not per mounted tab), so a
 * run keeps its events while the user looks at another tab or node.
 */
let subscribed = false;
export function subscribeProvisionEvents(): void {
  if (subscribed) return;
  subscribed = true;
  bridge.on('provision:event', ({ runId, seq, event }) => withRun(runId, (run) => (seq < run.events.length ? run : applyEvent(run, event))));
  bridge.on('provision:done', (done) => {
    const known = Boolean(useProvision.getState().runs[done.runId]);
    withRun(done.runId, (run) => ({ ...run, ...done, recap: done.recap ?? run.recap, events: run.events }));
    const final = useProvision.getState().runs[done.runId];
    if (known && final) addToHistory(final);
    // The main process announces the end before its history file is written, so
    // a run followed here goes into the history from memory; one started
    // elsewhere is fetched a moment later.
    if (!known) {
      const { history, loadHistory } = useProvision.getState();
      setTimeout(() => {
        for (const node of done.nodes) if (history[node]) void loadHistory(node);
      }, 500);
    }
  });
}
