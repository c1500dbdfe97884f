// Where the user is: which view, which node, which tab of the Node panel.
import { create } from 'zustand';

export type View = 'flash' | 'fleet' | 'node';
export type NodeTab = 'provision' | 'logs' | 'power' | 'terminal';
export const NODE_TABS: { id: NodeTab; label: string }[] = [
  { id: 'provision', label: 'Provision' },
  { id: 'logs', label: 'Logs' },
  { id: 'power', label: 'Power' },
  { id: 'terminal', label: 'Terminal' },
];

interface NavigationState {
  view: View;
  nodeTab: NodeTab;
  selectedNode: string | undefined;
  go(view: View): void;
  openNode(name: string): void;
  setNodeTab(tab: NodeTab): void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  view: 'flash',
  nodeTab: 'provision',
  selectedNode: undefined,
  go: (view) => set({ view }),
  openNode: (name) => set({ view: 'node', selectedNode: name }),
  setNodeTab: (nodeTab) => set({ nodeTab }),
}));
