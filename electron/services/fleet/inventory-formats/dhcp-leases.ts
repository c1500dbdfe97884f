// Static DHCP leases for nodes whose MAC Bramble has learned, for dnsmasq
// (`dhcp-host=`) and ISC dhcpd (`host … { }`). An address is pinned only when
// the node's host is an IPv4 literal; otherwise the lease just names the board.
import type { FleetNode } from '../../../../shared/fleet';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

export interface DhcpExport {
  text: string;
  /** Nodes left out, by name: no MAC learned yet. */
  skipped: string[];
}

function split(nodes: FleetNode[]): { withMac: (FleetNode & { mac: string })[]; skipped: string[] } {
  // The schema already checks MAC and name; checked again because these lines go into a root-run daemon's config.
  const withMac = nodes.filter((n): n is FleetNode & { mac: string } => !!n.mac && MAC.test(n.mac) && /^[A-Za-z0-9-]+$/.test(n.name));
  return { withMac, skipped: nodes.filter((n) => !withMac.includes(n as FleetNode & { mac: string })).map((n) => n.name) };
}

const skippedComment = (skipped: string[]): string[] => (skipped.length ? [`# Not listed (no MAC address known yet): ${skipped.join(', ')}`] : []);

export function toDnsmasqHosts(nodes: FleetNode[]): DhcpExport {
  const { withMac, skipped } = split(nodes);
  const lines = ['# Static DHCP leases for dnsmasq, written by Bramble', ...skippedComment(skipped)];
  for (const n of withMac) lines.push(`dhcp-host=${[n.mac, ...(IPV4.test(n.host) ? [n.host] : []), n.name].join(',')}`);
  return { text: `${lines.join('\n')}\n`, skipped };
}

export function toDhcpdHosts(nodes: FleetNode[]): DhcpExport {
  const { withMac, skipped } = split(nodes);
  const lines = ['# Static DHCP leases for ISC dhcpd, written by Bramble', ...skippedComment(skipped)];
  for (const n of withMac) {
    lines.push(`host ${n.name} {`, `  hardware ethernet ${n.mac};`);
    if (IPV4.test(n.host)) lines.push(`  fixed-address ${n.host};`);
    lines.push(`  option host-name "${n.name}";`, '}');
  }
  return { text: `${lines.join('\n')}\n`, skipped };
}
