// After a card is written and verified: choose the first-boot format (the
// user's, the catalogue's, or what the card's boot partition shows), then put
// that card's files on it.
import type { BootFormat } from '../../../shared/boot-settings';
import { applyBootFiles } from './apply-boot-files';
import type { CardConfig } from './card-config';
import { FatPartition } from './fat-partition';
import { bootFiles, formatFor, type ConcreteFormat } from './generate';
import { readOsRelease } from './os-release';

export interface ConfiguredCard {
  format: ConcreteFormat;
  /** The OS generation read from the card, when the format was chosen automatically. */
  codename?: string;
  files: string[];
  cmdline: string;
  warnings: string[];
}

/** Imager's init_format names, as the catalogue gives them. */
export function formatFromInitFormat(initFormat: string | undefined): ConcreteFormat | undefined {
  if (!initFormat) return undefined;
  if (initFormat.startsWith('cloudinit')) return 'cloud-init';
  if (initFormat === 'systemd') return 'firstrun';
  if (initFormat === 'none') return 'legacy';
  return undefined;
}

/**
 * What the card itself says: cloud-init images carry NoCloud seed files on the
 * boot partition; otherwise the root partition's os-release decides (Buster and
 * older read only the legacy files; Bullseye to early Trixie run firstrun.sh).
 */
export async function detectFormat(target: string): Promise<{ format: ConcreteFormat; codename?: string }> {
  const fat = await FatPartition.open(target);
  let seeded: boolean;
  try {
    seeded = ['user-data', 'meta-data', 'network-config'].some((f) => fat.readFile(f) !== undefined) || /\bds=nocloud/.test(fat.readFile('cmdline.txt')?.toString('utf8') ?? '');
  } finally {
    fat.close();
  }
  const codename = (await readOsRelease(target))?.codename;
  return { format: seeded ? 'cloud-init' : formatFor(codename, false), codename };
}

export async function configureCard(target: string, format: BootFormat, config: CardConfig, hint?: string): Promise<ConfiguredCard> {
  const detected = format === 'auto' && !formatFromInitFormat(hint) ? await detectFormat(target) : undefined;
  const concrete = format !== 'auto' ? format : (formatFromInitFormat(hint) ?? detected!.format);
  const boot = bootFiles(concrete, config);
  const codename = detected?.codename ?? (concrete === 'legacy' && config.wifi ? (await readOsRelease(target).catch(() => undefined))?.codename : undefined);
  const warnings = [...boot.warnings];
  // Bookworm moved Wi-Fi to NetworkManager, which never reads wpa_supplicant.conf.
  if (concrete === 'legacy' && config.wifi && codename && !['stretch', 'jessie', 'buster', 'bullseye'].includes(codename)) {
    warnings.push(`Raspberry Pi OS ${codename} ignores wpa_supplicant.conf, so this card will not join ${JSON.stringify(config.wifi.ssid)}; choose the automatic format (firstrun.sh) for Wi-Fi.`);
  }
  const applied = await applyBootFiles(target, boot);
  return { format: concrete, codename, files: applied.files, cmdline: applied.cmdline, warnings };
}
