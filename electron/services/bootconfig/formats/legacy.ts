// The files every Raspberry Pi OS since 2016 reads from the boot partition:
// `ssh` (enable SSH), `userconf.txt` (first user and password hash), and for
// Bullseye and older `wpa_supplicant.conf`. They cannot set a hostname, keys
// or locale: for those, firstrun.sh or cloud-init.
import { regdomToken, type BootFiles, type CardConfig } from '../card-config';

export function legacyFiles(config: CardConfig): BootFiles {
  const files: BootFiles['files'] = [{ name: 'ssh', content: '' }];
  const warnings: string[] = ['The legacy format cannot set the hostname, SSH keys, time zone or keyboard; the board keeps the name raspberrypi.'];
  if (config.user.passwordHash) files.push({ name: 'userconf.txt', content: `${config.user.name}:${config.user.passwordHash}\n` });
  else warnings.push('Without a password, userconf.txt is not written and the first-boot wizard will ask for a user.');
  if (config.wifi) files.push({ name: 'wpa_supplicant.conf', content: wpaSupplicantConf(config.wifi) });
  return { files, cmdline: regdomToken(config), warnings };
}

/** wpa_supplicant.conf with the PSK (never the passphrase); the SSID is written as hex so any bytes survive. */
export function wpaSupplicantConf(wifi: NonNullable<CardConfig['wifi']>): string {
  return [
    `country=${wifi.country}`,
    'ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev',
    'ap_scan=1',
    'update_config=1',
    '',
    'network={',
    `\tssid=${Buffer.from(wifi.ssid, 'utf8').toString('hex')}`,
    ...(wifi.hidden ? ['\tscan_ssid=1'] : []),
    `\tpsk=${wifi.psk}`,
    '}',
    '',
  ].join('\n');
}
