// Bramble's own known_hosts (OpenSSH format, in the data folder). Keys of
// cards Bramble flashed are recorded before the boards boot, so first contact
// is verified. Recording a name again replaces its old key: that is what
// re-flashing a node means, and it is only done by an explicit action.
import { existsSync, readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';

export class KnownHosts {
  constructor(readonly file: string) {}

  lines(): string[] {
    return existsSync(this.file) ? readFileSync(this.file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')) : [];
  }

  /** Keys recorded for a host name (or alias). */
  keysFor(host: string): string[] {
    return this.lines()
      .filter((l) => l.split(/\s+/)[0]!.split(',').includes(host))
      .map((l) => l.split(/\s+/).slice(1, 3).join(' '));
  }

  /** Records `names` (host, host.local, …) with this key, replacing what they had. */
  async set(names: string[], publicKey: string): Promise<void> {
    const key = publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
    const kept = this.lines().filter((l) => !l.split(/\s+/)[0]!.split(',').some((n) => names.includes(n)));
    await writeFileAtomic(this.file, `${[...kept, `${names.join(',')} ${key}`].join('\n')}\n`, { mode: 0o600 });
  }
}
