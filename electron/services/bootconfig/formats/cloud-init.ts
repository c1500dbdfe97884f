// cloud-init NoCloud files for later Trixie images (init_format cloudinit /
// cloudinit-rpi): user-data (#cloud-config), network-config (netplan v2) and
// meta-data, plus `ds=nocloud;i=<id>` on cmdline.txt. Written with the yaml
// library, so every value is data: quotes, `$()` and newlines stay strings.
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { regdomToken, type BootFiles, type CardConfig } from '../card-config';

export function cloudInitFiles(config: CardConfig, instanceId = defaultInstanceId(config)): BootFiles {
  return {
    files: [
      { name: 'user-data', content: `#cloud-config\n${stringify(userData(config), { lineWidth: 0 })}` },
      { name: 'network-config', content: stringify(networkConfig(config), { lineWidth: 0 }) },
      { name: 'meta-data', content: stringify({ 'instance-id': instanceId }) },
    ],
    cmdline: [`ds=nocloud;i=${instanceId}`, ...regdomToken(config)],
    warnings: [],
  };
}

function defaultInstanceId(config: CardConfig): string {
  return `bramble-${config.hostname}-${createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 8)}`;
}

export function userData(c: CardConfig): Record<string, unknown> {
  const user: Record<string, unknown> = {
    name: c.user.name,
    groups: 'users,adm,dialout,audio,netdev,video,plugdev,cdrom,games,input,gpio,spi,i2c,render,sudo',
    shell: '/bin/bash',
    sudo: 'ALL=(ALL) NOPASSWD:ALL',
    lock_passwd: !c.user.passwordHash,
  };
  if (c.user.passwordHash) user.passwd = c.user.passwordHash;
  if (c.sshKeys.length) user.ssh_authorized_keys = c.sshKeys.map((k) => k.trim());
  const doc: Record<string, unknown> = {
    hostname: c.hostname,
    manage_etc_hosts: true,
    users: [user],
    ssh_pwauth: c.user.passwordLogin && !!c.user.passwordHash,
    enable_ssh: true,
  };
  if (c.hostKey) {
    // Known to Bramble before first boot: cloud-init installs it instead of generating one.
    doc.ssh_deletekeys = true;
    doc.ssh_genkeytypes = ['ed25519']; // present already, so none is generated: the node offers only the key Bramble knows
    doc.ssh_keys = { ed25519_private: `${c.hostKey.privateKey.trim()}\n`, ed25519_public: c.hostKey.publicKey.trim() };
  }
  if (c.timezone) doc.timezone = c.timezone;
  if (c.locale) doc.locale = c.locale;
  if (c.keyboard) doc.keyboard = { layout: c.keyboard };
  const runcmd: unknown[] = [];
  if (c.extraCommands?.trim()) runcmd.push(['bash', '-c', c.extraCommands.trim()]);
  // user-data holds the host private key and the password hash; the boot
  // partition is readable by every user on the Pi, so it is blanked once used.
  runcmd.push(['sh', '-c', 'for d in /boot/firmware /boot; do [ -f "$d/user-data" ] && printf "#cloud-config\\n# cleared by Bramble after first boot\\n" > "$d/user-data"; done; true']);
  doc.runcmd = runcmd;
  return doc;
}

export function networkConfig(c: CardConfig): Record<string, unknown> {
  const ethernets = { eth0: { dhcp4: true, optional: true } };
  if (!c.wifi) return { version: 2, ethernets };
  const ap: Record<string, unknown> = { password: c.wifi.psk };
  if (c.wifi.hidden) ap.hidden = true;
  return {
    version: 2,
    ethernets,
    wifis: {
      wlan0: {
        dhcp4: true,
        optional: true,
        'regulatory-domain': c.wifi.country,
        'access-points': { [c.wifi.ssid]: ap },
      },
    },
  };
}
