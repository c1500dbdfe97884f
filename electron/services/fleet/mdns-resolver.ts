// Looks up `NAME.local` over multicast DNS, the way a freshly booted Pi OS board
// announces itself (avahi). One querier is shared by every lookup.
import makeMdns from 'multicast-dns';

export type MdnsOptions = makeMdns.Options;

export interface HostResolver {
  /** The IPv4 address answering for `host` (e.g. node-01.local), or undefined within the timeout. */
  resolve(host: string, timeoutMs?: number): Promise<string | undefined>;
  close(): void;
}

export class MdnsResolver implements HostResolver {
  private mdns: makeMdns.MulticastDNS | undefined;
  private readonly waiting = new Map<string, Set<(address: string) => void>>();

  constructor(private readonly options: MdnsOptions = {}) {}

  private socket(): makeMdns.MulticastDNS {
    if (this.mdns) return this.mdns;
    const mdns = makeMdns(this.options);
    mdns.on('response', (packet) => {
      for (const answer of [...packet.answers, ...(packet.additionals ?? [])]) {
        if (answer.type !== 'A' || typeof answer.data !== 'string') continue;
        const waiters = this.waiting.get(answer.name.toLowerCase());
        for (const w of waiters ?? []) w(answer.data);
      }
    });
    // A network without multicast (or a port in use) must not take the app down.
    mdns.on('error', () => {});
    mdns.on('warning', () => {});
    this.mdns = mdns;
    return mdns;
  }

  resolve(host: string, timeoutMs = 2000): Promise<string | undefined> {
    const name = host.toLowerCase();
    return new Promise((resolve) => {
      const done = (address: string | undefined) => {
        clearTimeout(timer);
        this.waiting.get(name)?.delete(onAnswer);
        resolve(address);
      };
      const onAnswer = (address: string) => done(address);
      const timer = setTimeout(() => done(undefined), timeoutMs);
      if (!this.waiting.has(name)) this.waiting.set(name, new Set());
      this.waiting.get(name)!.add(onAnswer);
      this.socket().query({ questions: [{ name, type: 'A' }] }, () => {});
    });
  }

  close(): void {
    this.mdns?.destroy();
    this.mdns = undefined;
  }
}
