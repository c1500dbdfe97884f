#!/bin/bash
# Written by Bramble: first-boot settings for this card. Runs once, then removes itself.

set +e

BOOT=/boot
[ -d /boot/firmware ] && [ -f /boot/firmware/cmdline.txt ] && BOOT=/boot/firmware

CURRENT_HOSTNAME=$(tr -d " \t\n\r" </etc/hostname)
if [ -f /usr/lib/raspberrypi-sys-mods/imager_custom ]; then
   /usr/lib/raspberrypi-sys-mods/imager_custom set_hostname node-01
else
   echo node-01 >/etc/hostname
   sed -i "s/127.0.1.1.*$CURRENT_HOSTNAME/127.0.1.1\tnode-01/g" /etc/hosts
fi
FIRSTUSER=$(getent passwd 1000 | cut -d: -f1)
FIRSTUSERHOME=$(getent passwd 1000 | cut -d: -f6)
install -m 600 /dev/null /etc/ssh/ssh_host_ed25519_key
printf '%s\n' '-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACB6N7lWT3c2M/JhZiPSfMdMVvLF1tUG+y6jtGiZENGm3AAAAJi0d2MwtHdj
MAAAAAtzc2gtZWQyNTUxOQAAACB6N7lWT3c2M/JhZiPSfMdMVvLF1tUG+y6jtGiZENGm3A
AAAEDfixedtestkeyfixedtestkeyfixedtestkeyfixedtestkeyfixedtestkeyfixedt
-----END OPENSSH PRIVATE KEY-----' >/etc/ssh/ssh_host_ed25519_key
printf '%s\n' 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc' >/etc/ssh/ssh_host_ed25519_key.pub
chmod 644 /etc/ssh/ssh_host_ed25519_key.pub
systemctl disable regenerate_ssh_host_keys.service 2>/dev/null
rm -f /etc/systemd/system/multi-user.target.wants/regenerate_ssh_host_keys.service
if [ -f /usr/lib/raspberrypi-sys-mods/imager_custom ]; then
   /usr/lib/raspberrypi-sys-mods/imager_custom enable_ssh -p -k 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc ann@laptop'
else
   install -o "$FIRSTUSER" -m 700 -d "$FIRSTUSERHOME/.ssh"
   printf '%s\n' 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc ann@laptop' >"$FIRSTUSERHOME/.ssh/authorized_keys"
   chown "$FIRSTUSER:" "$FIRSTUSERHOME/.ssh/authorized_keys"
   chmod 600 "$FIRSTUSERHOME/.ssh/authorized_keys"
   echo 'PasswordAuthentication no' >>/etc/ssh/sshd_config
   systemctl enable ssh
fi
if [ -f /usr/lib/userconf-pi/userconf ]; then
   /usr/lib/userconf-pi/userconf pi \$6\$abcdefgh\$KQeXafAQAaOoKTevphVU215RvJdgzyfASRasIOuh12hO8u0r1bGW92ZnTmC9IjsiQ8VPiTXBiZF49dFL1U4wX/
else
   printf '%s:%s\n' "$FIRSTUSER" \$6\$abcdefgh\$KQeXafAQAaOoKTevphVU215RvJdgzyfASRasIOuh12hO8u0r1bGW92ZnTmC9IjsiQ8VPiTXBiZF49dFL1U4wX/ | chpasswd -e
   if [ "$FIRSTUSER" != pi ]; then
      usermod -l pi "$FIRSTUSER"
      usermod -m -d /home/pi pi
      groupmod -n pi "$FIRSTUSER"
   fi
fi
if [ -f /usr/lib/raspberrypi-sys-mods/imager_custom ]; then
   /usr/lib/raspberrypi-sys-mods/imager_custom set_wlan "Ann's \"Lab\" \$(x)" 2e1b1b5b6d5e44f7a3f0f2d1c8b9a7e6d5c4b3a2918070605040302010f0e0d0 GB
else
cat >/etc/wpa_supplicant/wpa_supplicant.conf <<'WPAEOF'
country=GB
ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
ap_scan=1
update_config=1

network={
	ssid=416e6e277320224c6162222024287829
	psk=2e1b1b5b6d5e44f7a3f0f2d1c8b9a7e6d5c4b3a2918070605040302010f0e0d0
}
WPAEOF
   chmod 600 /etc/wpa_supplicant/wpa_supplicant.conf
   rfkill unblock wifi
   for f in /var/lib/systemd/rfkill/*:wlan; do echo 0 >"$f"; done
fi
if [ -f /usr/lib/raspberrypi-sys-mods/imager_custom ]; then
   /usr/lib/raspberrypi-sys-mods/imager_custom set_keymap gb
   /usr/lib/raspberrypi-sys-mods/imager_custom set_timezone Europe/London
else
   rm -f /etc/localtime
   echo Europe/London >/etc/timezone
   dpkg-reconfigure -f noninteractive tzdata
   sed -i "s/^XKBLAYOUT=.*/XKBLAYOUT=\"gb\"/" /etc/default/keyboard
   dpkg-reconfigure -f noninteractive keyboard-configuration
fi
sed -i "s/^# *\(en_GB\.UTF-8\)/\1/" /etc/locale.gen && locale-gen && update-locale LANG=en_GB.UTF-8

# The user's own first-boot commands:
apt-get install -y htop

rm -f "$BOOT/firstrun.sh"
sed -i 's| systemd.run.*||g' "$BOOT/cmdline.txt"
exit 0
