// The legacy boot files every Raspberry Pi OS since 2016 reads: exact content,
// and what the format cannot do said plainly.
import { describe, expect, it } from 'vitest';
import { legacyFiles } from '../../electron/services/bootconfig/formats/legacy';
import { bootFiles, formatFor } from '../../electron/services/bootconfig/generate';
import { wifiPsk } from '../../electron/services/bootconfig/secrets';

const base = {
  hostname: 'node-01',
  user: { name: 'pi', passwordHash: '$6$abcdefgh$KQeXafAQAaOoKTevphVU215RvJdgzyfASRasIOuh12hO8u0r1bGW92ZnTmC9IjsiQ8VPiTXBiZF49dFL1U4wX/', passwordLogin: true },
  sshKeys: [],
};

describe('legacy files', () => {
  it('writes ssh, userconf.txt and wpa_supplicant.conf with the PSK and a hex SSID', () => {
    const ssid = 'Café "5G"';
    const out = legacyFiles({ ...base, wifi: { ssid, psk: wifiPsk(ssid, 'correct horse'), hidden: true, country: 'FR' } });
    expect(out.files.map((f) => f.name)).toEqual(['ssh', 'userconf.txt', 'wpa_supplicant.conf']);
    expect(out.files[0]!.content).toBe('');
    expect(out.files[1]!.content).toBe(`pi:${base.user.passwordHash}\n`);
    expect(out.files[2]!.content).toBe(
      [
        'country=FR',
        'ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev',
        'ap_scan=1',
        'update_config=1',
        '',
        'network={',
        `\tssid=${Buffer.from(ssid).toString('hex')}`,
        '\tscan_ssid=1',
        `\tpsk=${wifiPsk(ssid, 'correct horse')}`,
        '}',
        '',
      ].join('\n'),
    );
    expect(out.cmdline).toEqual(['cfg80211.ieee80211_regdom=FR']);
    expect(out.warnings[0]).toMatch(/cannot set the hostname/);
  });

  it('is what Buster and older get; newer generations get firstrun.sh or cloud-init', () => {
    expect(formatFor('buster', false)).toBe('legacy');
    expect(formatFor('bookworm', false)).toBe('firstrun');
    expect(formatFor('trixie', true)).toBe('cloud-init');
    expect(bootFiles('legacy', base).files.map((f) => f.name)).toEqual(['ssh', 'userconf.txt']);
  });
});
