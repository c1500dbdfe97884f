// After a card is written and verified: choose the first-boot format (the
// user's, the catalogue's, or what the card's boot partition shows), then put
// that card's files on it.
import type { BootFormat } from '../../../shared/boot-settings';
import { applyBootFiles } from './apply-boot-files';
import type { CardConfig } from './card-config';
import { FatPartition } from './fat-partition';
import { bootFiles, type ConcreteFormat } from './generate';

export interface ConfiguredCard {
  format: ConcreteFormat;
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

/** What the card's own boot partition says: cloud-init images carry NoCloud seed files. */
export async function detectFormat(target: string): Promise<ConcreteFormat> {
  const fat = await FatPartition.open(target);
  try {
    const hasSeed = ['user-data', 'meta-data', 'network-config'].some((f) => fat.readFile(f) !== undefined);
    const cmdline = fat.readFile('cmdline.txt')?.toString('utf8') ?? '';
    return hasSeed || /\bds=nocloud/.test(cmdline) ? 'cloud-init' : 'firstrun';
  } finally {
    fat.close();
  }
}

export async function configureCard(target: string, format: BootFormat, config: CardConfig, hint?: string): Promise<ConfiguredCard> {
  const concrete = format !== 'auto' ? format : (formatFromInitFormat(hint) ?? (await detectFormat(target)));
  const boot = bootFiles(concrete, config);
  const applied = await applyBootFiles(target, boot);
  return { format: concrete, files: applied.files, cmdline: applied.cmdline, warnings: boot.warnings };
}
