// Step 3: first-boot settings for the whole batch. Each card gets its own name
// from the pattern and its own host key; secrets are hashed before anything is
// written and never kept.
import { useEffect, useState, type ChangeEvent } from 'react';
import { bridge } from '../../bridge';
import { cardNames, useBoot, type BootForm } from '../../store/boot';
import { useFlash } from '../../store/flash';

export function BootSettingsForm({ disabled, cards }: { disabled: boolean; cards: string[] }) {
  const f = useBoot();
  const image = useFlash((s) => (s.chosenOs ? undefined : s.image));
  const [profileName, setProfileName] = useState('');
  const [customized, setCustomized] = useState<string>();
  const customize = async () => {
    try {
      const settings = await f.settings();
      const job = await bridge.boot.customizeImage({ image: image!.path, settings: settings! });
      const card = job.cards?.[0];
      setCustomized(job.state === 'done' && card ? `${image!.name} now boots as ${card.hostname} (${card.format}); flash it with any tool.` : (job.error ?? 'The image could not be customized.'));
    } catch (error) {
      setCustomized((error as Error).message);
    }
  };
  const load = f.load;
  useEffect(() => {
    void load();
  }, [load]);
  const bind = (key: keyof BootForm) => ({
    value: f[key] as string,
    disabled,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => f.set({ [key]: e.target.value } as Partial<BootForm>),
  });
  const names = cardNames(f.hostnamePattern, cards.length ? cards : ['-'], f.names);
  const preview = names.slice(0, 4);
  return (
    <section className="panel" aria-labelledby="boot-heading">
      <div className="panel-head">
        <h2 id="boot-heading" className="panel-title"><span className="step-number">3</span> First boot</h2>
        <label className="toggle">
          <input type="checkbox" checked={f.enabled} disabled={disabled} onChange={(e) => f.set({ enabled: e.target.checked })} /> Set up each card for headless first boot
        </label>
      </div>
      {f.enabled && (
        <div className="profile-row">
          <label className="inline">
            Profile
            <select className="text-input" aria-label="Profile" value="" disabled={disabled || f.profiles.length === 0} onChange={(e) => f.applyProfile(e.target.value)}>
              <option value="">{f.profiles.length ? 'Load a saved profile…' : 'No saved profiles'}</option>
              {f.profiles.map((p) => (
                <option key={p.name} value={p.name}>{p.name}</option>
              ))}
            </select>
          </label>
          <input className="text-input" aria-label="Profile name" placeholder="Name to save these settings as" value={profileName} onChange={(e) => setProfileName(e.target.value)} disabled={disabled} />
          <button type="button" className="button" disabled={disabled || !profileName.trim()} onClick={() => void f.saveProfile(profileName)}>Save profile</button>
          {f.message && <p className="muted small" role="status">{f.message}</p>}
        </div>
      )}
      {f.enabled && (
        <div className="form-grid">
          <label>
            Hostname pattern
            <input className="text-input" {...bind('hostnamePattern')} spellCheck={false} />
            <span className="muted small">Cards become {preview.join(', ')}{names.length > 4 ? ', …' : ''}</span>
          </label>
          {cards.length > 0 && (
            <div className="wide card-names" aria-label="Card names">
              {cards.map((device, i) => (
                <label key={device} className="inline">
                  <span className="mono">{device}</span>
                  <input className="text-input" aria-label={`Hostname for ${device}`} value={f.names[device] ?? ''} placeholder={names[i]} disabled={disabled} onChange={(e) => f.setName(device, e.target.value)} spellCheck={false} />
                </label>
              ))}
            </div>
          )}
          <label>
            User
            <input className="text-input" {...bind('user')} spellCheck={false} autoComplete="off" />
          </label>
          <label>
            Password
            <input className="text-input" type="password" {...bind('password')} autoComplete="new-password" placeholder={f.savedPasswordHash ? 'kept from the profile' : ''} />
          </label>
          <label className="wide">
            SSH public key
            <textarea className="text-input" rows={2} {...bind('sshKey')} placeholder="ssh-ed25519 AAAA… you@laptop" spellCheck={false} />
          </label>
          <div className="key-row wide">
            {f.keys.map((k) => (
              <button key={k.file} type="button" className="button small" disabled={disabled} onClick={() => f.addKey(k.key)} title={k.key}>
                Add {k.file.split('/').pop()}
              </button>
            ))}
            <button type="button" className="button small" disabled={disabled} onClick={() => void f.useClusterKey()}>
              Add the Bramble cluster key
            </button>
          </div>
          <label className="toggle">
            <input type="checkbox" checked={!f.passwordLogin} disabled={disabled} onChange={(e) => f.set({ passwordLogin: !e.target.checked })} /> Keys only: no password login over SSH
          </label>
          <label>
            Wi-Fi network
            <input className="text-input" {...bind('wifiSsid')} spellCheck={false} />
          </label>
          <label>
            Wi-Fi passphrase
            <input className="text-input" type="password" {...bind('wifiPassphrase')} autoComplete="off" placeholder={f.savedWifi && f.savedWifi.ssid === f.wifiSsid ? 'kept from the profile' : ''} />
          </label>
          <label>
            Wi-Fi country
            <input className="text-input" {...bind('wifiCountry')} placeholder="GB" maxLength={2} />
          </label>
          <label className="toggle">
            <input type="checkbox" checked={f.wifiHidden} disabled={disabled} onChange={(e) => f.set({ wifiHidden: e.target.checked })} /> Hidden network
          </label>
          <label>
            Time zone
            <input className="text-input" {...bind('timezone')} placeholder="Europe/London" />
          </label>
          <label>
            Keyboard
            <input className="text-input" {...bind('keyboard')} placeholder="gb" />
          </label>
          <label>
            Locale
            <input className="text-input" {...bind('locale')} placeholder="en_GB.UTF-8" />
          </label>
          <label className="wide">
            Extra first-boot commands (run as root, last)
            <textarea className="text-input" rows={2} {...bind('extraCommands')} placeholder="apt-get install -y htop" spellCheck={false} />
          </label>
          {image?.format === 'raw' && (
            <div className="wide key-row">
              <button type="button" className="button small" disabled={disabled} onClick={() => void customize()}>
                Apply to {image.name} only (no card)
              </button>
              {customized && <span className="muted small" role="status">{customized}</span>}
            </div>
          )}
          <label>
            Format
            <select className="text-input" {...bind('format')}>
              <option value="auto">Automatic (from the image)</option>
              <option value="firstrun">firstrun.sh (Bullseye, Bookworm)</option>
              <option value="cloud-init">cloud-init (Trixie)</option>
              <option value="legacy">Legacy files (ssh, userconf.txt)</option>
            </select>
          </label>
        </div>
      )}
    </section>
  );
}
