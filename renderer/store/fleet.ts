// The Fleet view's state: every node's live state (in the order the main process
// lists them), the inventory entries behind them, the nodes ticked for a command,
// and the command runs with their output per node.
import { create } from 'zustand';
import type { FleetNode, FleetNodeInput, ImportResult, InventoryFormat, NodeRunResultView, NodeState } from '../../shared/fleet';
import { bridge } from '../bridge';

export type PowerAction = 'reboot' | 'shutdown';

/** One node's share of a run: what it printed so far and, once finished, its outcome. */
export interface RunNodeOutput {
  chunks: { stream: 'stdout' | 'stderr'; text: string }[];
  /** Characters kept; output past the cap is dropped (the result still carries the tail). */
  size: number;
  truncated: boolean;
  result: NodeRunResultView | undefined;
}

export interface FleetRun {
  runId: string;
  command: string;
  nodes: string[];
  startedAt: number;
  perNode: Record<string, RunNodeOutput>;
  done: boolean;
}

// A chatty command on 100 nodes must not grow the renderer without bound.
const OUTPUT_CAP = 256 * 1024;

interface FleetState {
  states: NodeState[];
  nodes: FleetNode[];
  loaded: boolean;
  error: string | undefined;
  selected: string[];
  run: FleetRun | undefined;
  runError: string | undefined;
  /** The reboot or shutdown waiting for the user's confirmation. */
  powerAsk: { name: string; action: PowerAction } | undefined;
  load(): Promise<void>;
  add(node: FleetNodeInput, password?: string): Promise<FleetNode>;
  update(name: string, patch: Partial<FleetNodeInput>, password?: string): Promise<FleetNode>;
  remove(name: string): Promise<void>;
  trust(name: string, fingerprint: string): Promise<void>;
  reconnect(name: string): Promise<void>;
  unlockKey(path: string, passphrase: string): Promise<void>;
  power(name: string, action: PowerAction): Promise<void>;
  askPower(name: string, action: PowerAction): void;
  cancelPower(): void;
  import(path: string, defaultUser?: string): Promise<ImportResult>;
  export(format: InventoryFormat): Promise<{ text: string; fileName: string }>;
  toggleSelected(name: string): void;
  setSelected(names: string[]): void;
  startRun(nodes: string[], command: string, timeoutSeconds: number, concurrency: number): Promise<void>;
  cancelRun(): Promise<void>;
  clearRun(): void;
}

export const useFleet = create<FleetState>()((set, get) => ({
  states: [],
  nodes: [],
  loaded: false,
  error: undefined,
  selected: [],
  run: undefined,
  runError: undefined,
  powerAsk: undefined,

  async load() {
    try {
      const [states, nodes] = await Promise.all([bridge.fleet.states({}), bridge.fleet.nodes({})]);
      set({ states, nodes, loaded: true, error: undefined });
    } catch (error) {
      set({ loaded: true, error: (error as Error).message });
    }
  },

  async add(node, password) {
    const added = await bridge.fleet.add({ node, password: password || undefined });
    await get().load();
    return added;
  },

  async update(name, patch, password) {
    const updated = await bridge.fleet.update({ name, patch, password: password || undefined });
    await get().load();
    return updated;
  },

  async remove(name) {
    await bridge.fleet.remove({ name });
    set((s) => ({ selected: s.selected.filter((n) => n !== name) }));
    await get().load();
  },

  async trust(name, fingerprint) {
    const state = await bridge.fleet.trust({ name, fingerprint });
    upsertState(state);
  },

  async reconnect(name) {
    await bridge.fleet.reconnect({ name });
  },

  async unlockKey(path, passphrase) {
    await bridge.fleet.unlockKey({ path, passphrase });
  },

  async power(name, action) {
    set({ powerAsk: undefined });
    await bridge.fleet.power({ name, action });
  },
  askPower: (name, action) => set({ powerAsk: { name, action } }),
  cancelPower: () => set({ powerAsk: undefined }),

  async import(path, defaultUser) {
    const result = await bridge.fleet.import({ path, defaultUser: defaultUser || undefined });
    await get().load();
    return result;
  },

  export: (format) => bridge.fleet.export({ format }),

  toggleSelected(name) {
    const { selected } = get();
    set({ selected: selected.includes(name) ? selected.filter((n) => n !== name) : [...selected, name] });
  },
  setSelected: (selected) => set({ selected }),

  async startRun(nodes, command, timeoutSeconds, concurrency) {
    set({ runError: undefined });
    try {
      const { runId } = await bridge.fleet.run({ nodes, command, timeoutSeconds, concurrency });
      const perNode: Record<string, RunNodeOutput> = {};
      for (const n of nodes) perNode[n] = { chunks: [], size: 0, truncated: false, result: undefined };
      set({ run: { runId, command, nodes, startedAt: Date.now(), perNode, done: false } });
      // Events that raced ahead of the reply were parked; apply them now, in order.
      const early = parked.get(runId) ?? [];
      parked.delete(runId);
      for (const apply of early) apply();
    } catch (error) {
      set({ runError: (error as Error).message });
    }
  },

  async cancelRun() {
    const { run } = get();
    if (run && !run.done) await bridge.fleet.cancelRun({ runId: run.runId });
  },

  clearRun: () => set({ run: undefined, runError: undefined }),
}));

/** Run events that arrive before `fleet:run` has answered with their runId. */
const parked = new Map<string, (() => void)[]>();

function withRun(runId: string, apply: (run: FleetRun) => FleetRun): void {
  const run = useFleet.getState().run;
  if (run?.runId === runId) {
    useFleet.setState({ run: apply(run) });
    return;
  }
  if (run) return; // an older run's straggler
  const list = parked.get(runId) ?? [];
  list.push(() => withRun(runId, apply));
  parked.set(runId, list);
}

function withNode(run: FleetRun, node: string, apply: (out: RunNodeOutput) => RunNodeOutput): FleetRun {
  const out = run.perNode[node] ?? { chunks: [], size: 0, truncated: false, result: undefined };
  return { ...run, perNode: { ...run.perNode, [node]: apply(out) } };
}

function appendChunk(out: RunNodeOutput, stream: 'stdout' | 'stderr', text: string): RunNodeOutput {
  if (out.size >= OUTPUT_CAP) return { ...out, truncated: true };
  const kept = text.slice(0, OUTPUT_CAP - out.size);
  const last = out.chunks.at(-1);
  // Consecutive chunks of one stream are merged so a long output is a few strings, not thousands.
  const chunks = last?.stream === stream ? [...out.chunks.slice(0, -1), { stream, text: last.text + kept }] : [...out.chunks, { stream, text: kept }];
  return { chunks, size: out.size + kept.length, truncated: kept.length < text.length, result: out.result };
}

function upsertState(state: NodeState): void {
  useFleet.setState((s) => {
    const i = s.states.findIndex((x) => x.name === state.name);
    if (i === -1) return { states: [...s.states, state] };
    const states = s.states.slice();
    states[i] = state;
    return { states };
  });
}

/** Keeps the store in step with node states and run progress pushed by the main process. */
export function subscribeFleetEvents(): () => void {
  const offs = [
    bridge.on('fleet:state', upsertState),
    bridge.on('fleet:removed', ({ name }) =>
      useFleet.setState((s) => ({ states: s.states.filter((x) => x.name !== name), nodes: s.nodes.filter((x) => x.name !== name), selected: s.selected.filter((n) => n !== name) })),
    ),
    bridge.on('fleet:run-output', ({ runId, node, stream, chunk }) => withRun(runId, (run) => withNode(run, node, (out) => appendChunk(out, stream, chunk)))),
    bridge.on('fleet:run-result', ({ runId, result }) => withRun(runId, (run) => withNode(run, result.node, (out) => ({ ...out, result })))),
    bridge.on('fleet:run-done', ({ runId, results }) =>
      withRun(runId, (run) => {
        let next = run;
        // The final list is authoritative: it fills in any result whose event was missed.
        for (const result of results) next = withNode(next, result.node, (out) => ({ ...out, result: out.result ?? result }));
        return { ...next, done: true };
      }),
    ),
  ];
  return () => offs.forEach((off) => off());
}
