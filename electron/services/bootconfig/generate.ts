// Picks the format for an image's OS generation (or the user's override) and
// produces one card's boot files.
import type { BootFormat } from '../../../shared/boot-settings';
import type { BootFiles, CardConfig } from './card-config';
import { cloudInitFiles } from './formats/cloud-init';
import { firstrunFiles } from './formats/firstrun';
import { legacyFiles } from './formats/legacy';

export type ConcreteFormat = Exclude<BootFormat, 'auto'>;

export function bootFiles(format: ConcreteFormat, config: CardConfig): BootFiles {
  switch (format) {
    case 'legacy':
      return legacyFiles(config);
    case 'firstrun':
      return firstrunFiles(config);
    case 'cloud-init':
      return cloudInitFiles(config);
  }
}

/**
 * The format Raspberry Pi OS of a generation reads: cloud-init for the Trixie
 * images that ship it (their boot partition has user-data or the catalogue says
 * cloudinit), firstrun.sh for Bullseye, Bookworm and early Trixie, and legacy
 * files for Buster and older.
 */
export function formatFor(codename: string | undefined, bootHasCloudInit: boolean): ConcreteFormat {
  if (bootHasCloudInit) return 'cloud-init';
  if (!codename) return 'firstrun';
  if (['stretch', 'jessie', 'buster'].includes(codename)) return 'legacy';
  return 'firstrun';
}
