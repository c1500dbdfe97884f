// ssh2 is loaded on first use: it costs about 40 ms of start-up, which the
// commands that never open a connection (flash, drives, version) should not pay.
import type * as Ssh2 from 'ssh2';
import { requireNative } from '../native';

let loaded: typeof Ssh2 | undefined;

export function ssh2(): typeof Ssh2 {
  loaded ??= requireNative('ssh2') as typeof Ssh2;
  return loaded;
}
