// Slots keep fleets apart: fleet S puts node K on 127.0.S.K, so parallel test
// files and a hand-run `npm run fleet -- up` never fight over an address.
//
// A slot is the directory <tmpdir>/bramble-fleet-slots/S holding owner.json
// ({pid, start, fleetDir}). It is created complete in a private directory and
// renamed into place, so a claim is atomic and a slot directory is never seen
// without its owner. An owner whose pid is gone (or reused: the start time no
// longer matches) is stale: the claimer moves the slot aside, kills whatever
// processes still mention the dead fleet's directory, removes that directory,
// and takes the slot.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureOwnDir, looksLikeFleetDir, realTmpdir } from './jail.js';
import { isAlive, pidsMentioning, signal, startTime } from './procs.js';

export const MAX_SLOT = 250;

export interface SlotOwner {
  pid: number;
  start: number | undefined;
  fleetDir?: string;
}

export interface SlotClaim {
  slot: number;
  /** Record the fleet directory so a later claimer can clean up after a crash. */
  setFleetDir(dir: string): void;
  release(): void;
}

export function slotsRoot(): string {
  return ensureOwnDir(path.join(realTmpdir(), 'bramble-fleet-slots'));
}

function readOwner(slotDir: string): SlotOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path.join(slotDir, 'owner.json'), 'utf8')) as SlotOwner;
    return typeof o.pid === 'number' ? o : undefined;
  } catch {
    return undefined;
  }
}

export function ownerAlive(o: SlotOwner | undefined): boolean {
  return o !== undefined && isAlive(o.pid) && (o.start === undefined || startTime(o.pid) === o.start);
}

function uniq(): string {
  return `${process.pid}-${Math.random().toString(36).slice(2)}`;
}

/** Kill a dead fleet's leftover processes and remove its directory (only if it looks like a fleet directory). */
export function cleanupDeadFleet(fleetDir: string | undefined): void {
  if (!fleetDir || !looksLikeFleetDir(fleetDir)) return;
  for (const pid of pidsMentioning(fleetDir + '/')) signal(pid, 'SIGKILL');
  rmSync(fleetDir, { recursive: true, force: true });
}

/**
 * Claim the lowest free slot for which `accept` agrees (the fleet checks that the
 * addresses it needs are free). Throws when all slots are taken.
 */
export async function claimSlot(accept: (slot: number) => Promise<boolean> = async () => true): Promise<SlotClaim> {
  const root = slotsRoot();
  const me: SlotOwner = { pid: process.pid, start: startTime(process.pid) };
  for (let s = 1; s <= MAX_SLOT; s++) {
    const slotDir = path.join(root, String(s));
    if (!tryCreate(root, slotDir, me)) {
      const owner = readOwner(slotDir);
      if (ownerAlive(owner) || !reclaim(root, slotDir, owner) || !tryCreate(root, slotDir, me)) continue;
    }
    const claim = makeClaim(slotDir, s, me);
    if (await accept(s)) return claim;
    claim.release();
  }
  throw new Error(`fleet: all ${MAX_SLOT} slots in ${root} are taken`);
}

function tryCreate(root: string, slotDir: string, me: SlotOwner): boolean {
  const tmp = path.join(root, `.claim-${uniq()}`);
  mkdirSync(tmp, { mode: 0o755 });
  writeFileSync(path.join(tmp, 'owner.json'), JSON.stringify(me));
  try {
    renameSync(tmp, slotDir);
    return true;
  } catch {
    rmSync(tmp, { recursive: true, force: true });
    return false;
  }
}

/** Move a stale slot aside; if it turns out another claimer got there first, put it back. */
function reclaim(root: string, slotDir: string, stale: SlotOwner | undefined): boolean {
  const aside = path.join(root, `.stale-${uniq()}`);
  try {
    renameSync(slotDir, aside);
  } catch {
    return false;
  }
  const moved = readOwner(aside);
  if (ownerAlive(moved) || moved?.pid !== stale?.pid || moved?.start !== stale?.start) {
    try {
      renameSync(aside, slotDir);
    } catch {
      // Someone claimed it meanwhile; the live owner we displaced keeps running without its slot file.
    }
    return false;
  }
  cleanupDeadFleet(moved?.fleetDir);
  rmSync(aside, { recursive: true, force: true });
  return true;
}

function makeClaim(slotDir: string, slot: number, me: SlotOwner): SlotClaim {
  let released = false;
  return {
    slot,
    setFleetDir(dir) {
      const tmp = path.join(slotDir, `.owner-${uniq()}`);
      writeFileSync(tmp, JSON.stringify({ ...me, fleetDir: dir }));
      renameSync(tmp, path.join(slotDir, 'owner.json'));
    },
    release() {
      if (released) return;
      released = true;
      const o = readOwner(slotDir);
      if (o?.pid === me.pid && o.start === me.start) rmSync(slotDir, { recursive: true, force: true });
    },
  };
}

/** Remove a slot whose owner is dead (what a later claim would do anyway). */
export function removeStaleSlot(slot: number): void {
  const slotDir = path.join(slotsRoot(), String(slot));
  const owner = readOwner(slotDir);
  if (owner && !ownerAlive(owner)) reclaim(slotsRoot(), slotDir, owner);
}

export function slotIsFree(slot: number): boolean {
  return !ownerAlive(readOwner(path.join(slotsRoot(), String(slot))));
}
