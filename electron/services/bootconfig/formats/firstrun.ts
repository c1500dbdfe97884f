// firstrun.sh, the format Raspberry Pi Imager uses for Bullseye, Bookworm and
// the first Trixie release: a script on the boot partition that systemd runs
// once (through cmdline.txt tokens), then removes with those tokens. It uses
// Raspberry Pi OS's own helpers (imager_custom, userconf) when present and
// plain commands otherwise. Every value is shell-quoted: nothing the user typed
// is ever interpreted by the shell, except their own extra commands.
import { quote } from 'shell-quote';
import { HostnameSchema, UsernameSchema } from '../../../../shared/boot-settings';
import { regdomToken, type BootFiles, type CardConfig } from '../card-config';
import { wpaSupplicantConf } from './legacy';

export const FIRSTRUN_CMDLINE = ['systemd.run=/boot/firstrun.sh', 'systemd.run_success_action=reboot', 'systemd.unit=kernel-command-line.target'];

const q = (s: string) => quote([s]);

export function firstrunFiles(config: CardConfig): BootFiles {
  return { files: [{ name: 'firstrun.sh', content: firstrunScript(config) }], cmdline: [...FIRSTRUN_CMDLINE, ...regdomToken(config)], warnings: [] };
}

export function firstrunScript(c: CardConfig): string {
  // Validated names are plain words, safe to place inside sed expressions.
  HostnameSchema.parse(c.hostname);
  UsernameSchema.parse(c.user.name);
  const L: string[] = ['#!/bin/bash', '# Written by Bramble: first-boot settings for this card. Runs once, then removes itself.', '', 'set +e', ''];
  const custom = '/usr/lib/raspberrypi-sys-mods/imager_custom';
  // The boot partition is /boot/firmware since Bookworm, /boot before.
  L.push('BOOT=/boot', '[ -d /boot/firmware ] && [ -f /boot/firmware/cmdline.txt ] && BOOT=/boot/firmware', '');

  L.push(`CURRENT_HOSTNAME=$(tr -d " \\t\\n\\r" </etc/hostname)`);
  L.push(`if [ -f ${custom} ]; then`, `   ${custom} set_hostname ${q(c.hostname)}`, 'else', `   echo ${q(c.hostname)} >/etc/hostname`, `   sed -i "s/127.0.1.1.*$CURRENT_HOSTNAME/127.0.1.1\\t${c.hostname}/g" /etc/hosts`, 'fi');

  L.push('FIRSTUSER=$(getent passwd 1000 | cut -d: -f1)', 'FIRSTUSERHOME=$(getent passwd 1000 | cut -d: -f6)');

  if (c.hostKey) {
    // The node's host key was made by Bramble and is already in its known_hosts: install it,
    // and keep Raspberry Pi OS from replacing it with a fresh one on first boot.
    L.push(
      'install -m 600 /dev/null /etc/ssh/ssh_host_ed25519_key',
      `printf '%s\\n' ${q(c.hostKey.privateKey.trim())} >/etc/ssh/ssh_host_ed25519_key`,
      `printf '%s\\n' ${q(c.hostKey.publicKey.trim())} >/etc/ssh/ssh_host_ed25519_key.pub`,
      'chmod 644 /etc/ssh/ssh_host_ed25519_key.pub',
      'systemctl disable regenerate_ssh_host_keys.service 2>/dev/null',
      'rm -f /etc/systemd/system/multi-user.target.wants/regenerate_ssh_host_keys.service',
    );
  }

  const keys = c.sshKeys.map((k) => k.trim());
  if (keys.length > 0) {
    const pwOff = c.user.passwordLogin ? '' : ' -p';
    L.push(`if [ -f ${custom} ]; then`, `   ${custom} enable_ssh${pwOff} ${keys.map((k) => `-k ${q(k)}`).join(' ')}`, 'else');
    L.push('   install -o "$FIRSTUSER" -m 700 -d "$FIRSTUSERHOME/.ssh"');
    L.push(`   printf '%s\\n' ${keys.map(q).join(' ')} >"$FIRSTUSERHOME/.ssh/authorized_keys"`);
    L.push('   chown "$FIRSTUSER:" "$FIRSTUSERHOME/.ssh/authorized_keys"', '   chmod 600 "$FIRSTUSERHOME/.ssh/authorized_keys"');
    if (!c.user.passwordLogin) L.push("   echo 'PasswordAuthentication no' >>/etc/ssh/sshd_config");
    L.push('   systemctl enable ssh', 'fi');
  } else {
    L.push(`if [ -f ${custom} ]; then`, `   ${custom} enable_ssh`, 'else', '   systemctl enable ssh', 'fi');
  }

  if (c.user.passwordHash) {
    L.push('if [ -f /usr/lib/userconf-pi/userconf ]; then', `   /usr/lib/userconf-pi/userconf ${q(c.user.name)} ${q(c.user.passwordHash)}`, 'else');
    L.push(`   printf '%s:%s\\n' "$FIRSTUSER" ${q(c.user.passwordHash)} | chpasswd -e`);
    L.push(`   if [ "$FIRSTUSER" != ${q(c.user.name)} ]; then`);
    L.push(`      usermod -l ${q(c.user.name)} "$FIRSTUSER"`, `      usermod -m -d /home/${c.user.name} ${q(c.user.name)}`, `      groupmod -n ${q(c.user.name)} "$FIRSTUSER"`);
    L.push('   fi', 'fi');
  }

  if (c.wifi) {
    const w = c.wifi;
    L.push(`if [ -f ${custom} ]; then`, `   ${custom} set_wlan${w.hidden ? ' -h' : ''} ${q(w.ssid)} ${q(w.psk)} ${q(w.country)}`, 'else');
    L.push("cat >/etc/wpa_supplicant/wpa_supplicant.conf <<'WPAEOF'", wpaSupplicantConf(w).trimEnd(), 'WPAEOF');
    L.push('   chmod 600 /etc/wpa_supplicant/wpa_supplicant.conf', '   rfkill unblock wifi', '   for f in /var/lib/systemd/rfkill/*:wlan; do echo 0 >"$f"; done', 'fi');
  }

  if (c.keyboard || c.timezone) {
    L.push(`if [ -f ${custom} ]; then`);
    if (c.keyboard) L.push(`   ${custom} set_keymap ${q(c.keyboard)}`);
    if (c.timezone) L.push(`   ${custom} set_timezone ${q(c.timezone)}`);
    L.push('else');
    if (c.timezone) L.push('   rm -f /etc/localtime', `   echo ${q(c.timezone)} >/etc/timezone`, '   dpkg-reconfigure -f noninteractive tzdata');
    if (c.keyboard) L.push(`   sed -i "s/^XKBLAYOUT=.*/XKBLAYOUT=\\"${c.keyboard}\\"/" /etc/default/keyboard`, '   dpkg-reconfigure -f noninteractive keyboard-configuration');
    L.push('fi');
  }
  if (c.locale) L.push(`sed -i "s/^# *\\(${c.locale.replace('.', '\\.')}\\)/\\1/" /etc/locale.gen && locale-gen && update-locale LANG=${q(c.locale)}`);

  if (c.extraCommands?.trim()) L.push('', '# The user\'s own first-boot commands:', c.extraCommands.trim(), '');

  L.push('rm -f "$BOOT/firstrun.sh"', `sed -i 's| systemd.run.*||g' "$BOOT/cmdline.txt"`, 'exit 0', '');
  return L.join('\n');
}
