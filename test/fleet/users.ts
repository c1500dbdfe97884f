// The unix account the fake nodes log in as.
//
// One account serves every node of every fleet: useradd costs about 150 ms here,
// so an account per node would make a 250-node fleet take half a minute to set up
// the first time. Each node's sshd runs in its own mount namespace with that
// node's home directory bind-mounted over the account's home, so every node still
// has its own ~/.ssh, ~/.profile and files, like a real fleet where every Pi has
// a `pi` user. The account is kept between runs (created once, reused); its
// passwd home is an empty mount point under <tmpdir>/bramble-fleet-homes.
//
// An existing account is only reused if its GECOS field carries our marker: the
// harness must never take over (or lock the password of) a real user.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureOwnDir, realTmpdir } from './jail.js';
import { sleep } from './procs.js';

export const USER_MARKER = 'Bramble fake Pi fleet';
export const DEFAULT_FLEET_USER = 'bramble-pi';

export interface FleetUser {
  name: string;
  uid: number;
  gid: number;
  /** The passwd home: an empty directory each node's own home is mounted over. */
  mountPoint: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

function passwdEntry(name: string): PasswdEntry | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 7) {
      return { name, uid: Number(f[2]), gid: Number(f[3]), gecos: f[4] ?? '', home: f[5] ?? '', shell: f[6] ?? '' };
    }
  }
  return undefined;
}

function shadowPassword(name: string): string | undefined {
  for (const line of readFileSync('/etc/shadow', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === name) return f[1];
  }
  return undefined;
}

/** useradd/usermod take a lock on /etc/passwd; a parallel fleet may hold it for a moment. */
async function runAccountTool(cmd: string, args: string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' } });
    if (r.status === 0) return;
    // 9: the name is taken (a parallel fleet created it first) - the caller re-reads passwd.
    if (r.status === 9 && cmd.endsWith('useradd')) return;
    if (attempt >= 40) throw new Error(`fleet: ${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
    await sleep(50 + Math.random() * 100);
  }
}

export async function ensureFleetUser(name = DEFAULT_FLEET_USER): Promise<FleetUser> {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(name) || name === 'root') throw new Error(`fleet: bad user name ${name}`);
  const homes = ensureOwnDir(path.join(realTmpdir(), 'bramble-fleet-homes'));
  const mountPoint = ensureOwnDir(path.join(homes, name));
  let e = passwdEntry(name);
  if (!e) {
    await runAccountTool('/usr/sbin/useradd', ['-M', '-U', '-d', mountPoint, '-s', '/bin/bash', '-c', USER_MARKER, '-p', '*', name]);
    e = passwdEntry(name);
    if (!e) throw new Error(`fleet: useradd ${name} did not create the user`);
  }
  if (e.gecos !== USER_MARKER) {
    throw new Error(`fleet: user ${name} exists but was not created by the fleet harness (GECOS "${e.gecos}"); refusing to use it`);
  }
  // Fix what a previous run (or another TMPDIR) left different. `*` rather than the
  // default `!`: with UsePAM no, sshd treats `!` as a locked account and refuses keys too.
  const fix: string[] = [];
  if (e.home !== mountPoint) fix.push('-d', mountPoint);
  if (e.shell !== '/bin/bash') fix.push('-s', '/bin/bash');
  if (shadowPassword(name) !== '*') fix.push('-p', '*');
  if (fix.length) await runAccountTool('/usr/sbin/usermod', [...fix, name]);
  return { name, uid: e.uid, gid: e.gid, mountPoint };
}

/** Delete a fleet account (only one carrying the marker). Fails if a live fleet still uses it. */
export function removeFleetUser(name = DEFAULT_FLEET_USER): boolean {
  const e = passwdEntry(name);
  if (!e || e.gecos !== USER_MARKER) return false;
  const r = spawnSync('/usr/sbin/userdel', [name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fleet: userdel ${name}: ${r.stderr}`);
  return true;
}
