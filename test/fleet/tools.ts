// The fake Pi tools (test/fleet/tools/*). One copy per fleet in <fleet>/tools,
// hard-linked into every node's bin directory: creating files is what costs here
// (about 0.7 ms per new inode on this machine's ext4, against 20 µs for a link),
// and the scripts find their node's state from their own path (NODE/bin/TOOL →
// NODE/state), so the copies need not differ.
import { linkSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Jail } from './jail.js';
import { packageCatalogue } from './node-state.js';

const TOOLS_DIR = fileURLToPath(new URL('./tools/', import.meta.url));

/** Installed name → template file. Several names share one script that looks at $0. */
const ALIASES: Record<string, string> = {
  apt: 'apt-get',
  reboot: 'power',
  poweroff: 'power',
  halt: 'power',
  shutdown: 'power',
  usermod: 'useradd',
  userdel: 'useradd',
  groupadd: 'useradd',
  groupmod: 'useradd',
  groupdel: 'useradd',
};
/** Templates that are not commands themselves. */
const NOT_A_TOOL = new Set(['lib.sh', 'power']);

function templates(): string[] {
  return readdirSync(TOOLS_DIR);
}

/**
 * Write the fleet's shared copy: the commands, the library they source
 * (.fake-pi-lib.sh) and the default package lists (.available, .packages), all
 * root's, readable and not writable by the node user.
 */
export function writeSharedTools(jail: Jail, dir: string): void {
  jail.mkdir(dir, 0o755);
  const read = (name: string) => readFileSync(path.join(TOOLS_DIR, name), 'utf8');
  for (const name of templates()) if (!NOT_A_TOOL.has(name)) jail.writeFile(path.join(dir, name), read(name), 0o755);
  for (const [name, template] of Object.entries(ALIASES)) jail.writeFile(path.join(dir, name), read(template), 0o755);
  jail.writeFile(path.join(dir, '.fake-pi-lib.sh'), read('lib.sh'), 0o644);
  const cat = packageCatalogue();
  jail.writeFile(path.join(dir, '.available'), cat.map((p) => `${p.name} ${p.version} ${p.description}\n`).join(''));
  jail.writeFile(path.join(dir, '.packages'), cat.filter((p) => p.preinstalled).map((p) => `${p.name} ${p.version} installed\n`).join(''));
}

/** Hard-link the shared copy into a node's (existing, empty) bin directory. */
export function linkTools(jail: Jail, sharedDir: string, binDir: string): void {
  jail.assertInside(sharedDir);
  jail.assertInside(binDir);
  for (const name of readdirSync(sharedDir)) linkSync(path.join(sharedDir, name), jail.path(binDir, name));
}
