// Nodes Bramble flashed that have not been seen yet: name, the host key
// fingerprint to expect, the image and when. The fleet finds them when they boot.
import { z } from 'zod';
import { openStore, type JsonFileStore } from '../storage/json-file-store';
import type { NoticeBoard } from '../app/notice-board';

export const PendingNodeSchema = z.object({
  name: z.string(),
  user: z.string(),
  hostKeyFingerprint: z.string(),
  image: z.string(),
  writtenAt: z.string(),
  card: z.string(),
});
export type PendingNode = z.infer<typeof PendingNodeSchema>;

const FileSchema = z.object({ nodes: z.array(PendingNodeSchema) });

export class PendingNodes {
  private readonly store: JsonFileStore<typeof FileSchema>;
  private nodes: PendingNode[];

  constructor(dataDir: string, notices: NoticeBoard) {
    const { store, value } = openStore(dataDir, 'pending-nodes.json', FileSchema, () => ({ nodes: [] }), notices);
    this.store = store;
    this.nodes = value.nodes;
  }

  list(): PendingNode[] {
    return [...this.nodes];
  }

  names(): string[] {
    return this.nodes.map((n) => n.name);
  }

  /** Forgets a pending node (it was found and joined the fleet, or the user dropped it). */
  async remove(name: string): Promise<boolean> {
    const before = this.nodes.length;
    this.nodes = this.nodes.filter((n) => n.name !== name);
    if (this.nodes.length === before) return false;
    await this.store.save({ nodes: this.nodes });
    return true;
  }

  /** Adds or replaces nodes by name (a re-flashed node is pending again). */
  async add(nodes: PendingNode[]): Promise<void> {
    const names = new Set(nodes.map((n) => n.name));
    this.nodes = [...this.nodes.filter((n) => !names.has(n.name)), ...nodes];
    await this.store.save({ nodes: this.nodes });
  }
}
