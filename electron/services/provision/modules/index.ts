// Every module Bramble runs, by every name a playbook may use for it.
import { apt } from './apt';
import { authorizedKey } from './authorized-key';
import { command, shell } from './command';
import { copy } from './copy';
import { file } from './file';
import { hostname } from './hostname';
import { lineinfile } from './lineinfile';
import { assert, debug, fail, setFact } from './local';
import { reboot } from './reboot';
import { service, systemd } from './service';
import { template } from './template';
import type { ModuleDef } from './types';
import { group, user } from './user';
import { waitFor } from './wait-for';

export const MODULES: ModuleDef[] = [
  hostname, apt, authorizedKey, copy, template, lineinfile, file, command, shell, service, systemd, user, group, reboot, waitFor,
  debug, setFact, fail, assert,
] as ModuleDef[];

/** Modules that never touch the node (no connection needed, no become). */
export const LOCAL_MODULES = new Set(['debug', 'set_fact', 'fail', 'assert']);

const byName = new Map<string, ModuleDef>();
for (const m of MODULES) for (const n of [m.name, ...m.aliases]) byName.set(n, m);

export function findModule(name: string): ModuleDef | undefined {
  return byName.get(name);
}

export function moduleNames(): string[] {
  return [...byName.keys()];
}

/** Argument names a module accepts (for checking a playbook before anything runs); undefined: any. */
export function moduleKeys(m: ModuleDef): string[] | undefined {
  const shape = (m.args as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : undefined;
}
