// Nodes from ~/.ssh/config, checked against what `ssh -G` itself resolves for
// each alias, and static DHCP leases for the nodes whose MAC Bramble knows.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FleetNode } from '../../shared/fleet';
import { toDhcpdHosts, toDnsmasqHosts } from '../../electron/services/fleet/inventory-formats/dhcp-leases';
import { importInventoryFile } from '../../electron/services/fleet/inventory-formats/import-inventory-file';
import { importSshConfigFile, parseSshConfig } from '../../electron/services/fleet/inventory-formats/ssh-config-import';

let dir: string;
let home: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-sshcfg-'));
  home = path.join(dir, 'home');
  mkdirSync(path.join(home, '.ssh', 'config.d'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What OpenSSH itself would use for `alias` (no connection is made). */
function sshG(config: string, alias: string): Record<string, string> {
  const out = execFileSync('ssh', ['-G', '-F', config, alias], { encoding: 'utf8', env: { ...process.env, HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
  const seen: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const [key, ...rest] = line.split(' ');
    if (key && !(key in seen)) seen[key] = rest.join(' ');
  }
  return seen;
}

describe('ssh config import', () => {
  const write = (): string => {
    const config = path.join(home, '.ssh', 'config');
    writeFileSync(
      config,
      `# my cluster
Include config.d/*
Host pi1
  HostName 192.168.1.11
  User ubuntu
Host pi2 pi3
  Port 2222
# pi2 is also below; the first value for each setting wins
Host pi2
  Port 2200
  User admin
Host *.lan !bad.lan
  User lanuser
Host pi-*
  IdentityFile ~/.ssh/pi_%h
Host pi-a
  HostName %h.lan
Host web.example.com
Host *
  User fallback
  IdentityFile ~/.ssh/id_default
`,
    );
    writeFileSync(path.join(home, '.ssh', 'config.d', '10-more'), 'Host pi-b\n  HostName 10.0.0.42\n  Port 2022\n');
    return config;
  };

  it('makes a node of every concrete Host alias, with the settings ssh -G resolves for it', () => {
    const config = write();
    const result = importSshConfigFile(config, { defaultUser: 'pi', homeDir: home });
    expect(result.nodes.map((n) => n.name)).toEqual(['pi-b', 'pi1', 'pi2', 'pi3', 'pi-a', 'web']);
    expect(result.renamed).toEqual([{ entry: 'Host web.example.com', name: 'web', reason: expect.stringContaining('first part of the host name') }]);
    const aliases: Record<string, string> = { web: 'web.example.com' };
    for (const node of result.nodes) {
      const ssh = sshG(config, aliases[node.name] ?? node.name);
      expect({ host: node.host, port: node.port, user: node.user }, node.name).toEqual({ host: ssh.hostname, port: Number(ssh.port), user: ssh.user });
      const key = ssh.identityfile!.replace(/^~/, home).replace(/%h/g, ssh.hostname!);
      expect(node.auth, node.name).toEqual({ kind: 'key', path: key });
    }
    expect(result.nodes.find((n) => n.name === 'pi2')).toMatchObject({ port: 2222, user: 'admin' });
    expect(result.skipped).toEqual([
      { entry: 'Host *.lan', reason: 'a pattern that applies to many hosts, not a host of its own' },
      { entry: 'Host !bad.lan', reason: 'a pattern that applies to many hosts, not a host of its own' },
      { entry: 'Host pi-*', reason: 'a pattern that applies to many hosts, not a host of its own' },
      { entry: 'Host *', reason: 'a pattern that applies to many hosts, not a host of its own' },
    ]);
  });

  it('uses the default user and ssh-agent when the config names neither', () => {
    const result = parseSshConfig('Host pi9\n  HostName 10.1.1.9\n', { defaultUser: 'pi', homeDir: home });
    expect(result.nodes).toEqual([{ name: 'pi9', host: '10.1.1.9', port: 22, user: 'pi', auth: { kind: 'agent' }, groups: [], vars: {} }]);
  });

  it('never runs Match exec commands while importing, and skips hosts whose settings are unsafe', () => {
    const marker = path.join(dir, 'ran');
    const text = `Match exec "touch ${marker}"\n  User hacked\nHost ok\n  HostName 10.0.0.1\nHost evil\n  HostName "pi;reboot"\nHost "odd name"\n`;
    const result = parseSshConfig(text, { defaultUser: 'pi', homeDir: home, file: 'config' });
    expect(existsSync(marker)).toBe(false);
    expect(result.nodes.map((n) => [n.name, n.user])).toEqual([['ok', 'pi']]);
    expect(result.skipped.find((s) => s.entry === 'Host evil')?.reason).toBe('HostName "pi;reboot" is not usable: a host name or IP address');
  });

  it('is picked by importInventoryFile for a file named config or one that looks like one', () => {
    const config = write();
    expect(importInventoryFile(config, { defaultUser: 'pi', homeDir: home }).format).toBe('ssh-config');
    const other = path.join(dir, 'exported-hosts');
    writeFileSync(other, 'Host pi7\n  HostName 10.0.0.7\n');
    const result = importInventoryFile(other, { defaultUser: 'pi', homeDir: home });
    expect(result.format).toBe('ssh-config');
    expect(result.nodes.map((n) => n.host)).toEqual(['10.0.0.7']);
  });
});

describe('DHCP lease export', () => {
  const nodes: FleetNode[] = [
    { name: 'pi1', host: '192.168.1.11', port: 22, user: 'pi', auth: { kind: 'agent' }, groups: [], vars: {}, mac: 'dc:a6:32:01:02:03' },
    { name: 'pi2', host: 'pi2.lan', port: 22, user: 'pi', auth: { kind: 'agent' }, groups: [], vars: {}, mac: 'e4:5f:01:aa:bb:cc' },
    { name: 'pi3', host: '192.168.1.13', port: 22, user: 'pi', auth: { kind: 'agent' }, groups: [], vars: {} },
  ];

  it('writes dnsmasq dhcp-host lines, pinning an address only for IPv4 hosts, and lists nodes without a MAC', () => {
    const out = toDnsmasqHosts(nodes);
    expect(out.skipped).toEqual(['pi3']);
    expect(out.text).toBe(
      [
        '# Static DHCP leases for dnsmasq, written by Bramble',
        '# Not listed (no MAC address known yet): pi3',
        'dhcp-host=dc:a6:32:01:02:03,192.168.1.11,pi1',
        'dhcp-host=e4:5f:01:aa:bb:cc,pi2',
        '',
      ].join('\n'),
    );
  });

  it('writes ISC dhcpd host blocks', () => {
    expect(toDhcpdHosts(nodes).text).toBe(
      [
        '# Static DHCP leases for ISC dhcpd, written by Bramble',
        '# Not listed (no MAC address known yet): pi3',
        'host pi1 {',
        '  hardware ethernet dc:a6:32:01:02:03;',
        '  fixed-address 192.168.1.11;',
        '  option host-name "pi1";',
        '}',
        'host pi2 {',
        '  hardware ethernet e4:5f:01:aa:bb:cc;',
        '  option host-name "pi2";',
        '}',
        '',
      ].join('\n'),
    );
  });
});
