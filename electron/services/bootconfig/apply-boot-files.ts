// Puts one card's first-boot files on its boot partition and extends the one
// line of cmdline.txt, then reads everything back and compares, so a card is
// only called configured when its files are really there.
import { UserError } from '../user-error';
import type { BootFiles } from './card-config';
import { FatPartition } from './fat-partition';

export interface AppliedBootFiles {
  files: string[];
  cmdline: string;
}

export async function applyBootFiles(target: string, boot: BootFiles): Promise<AppliedBootFiles> {
  const fat = await FatPartition.open(target);
  try {
    const original = fat.readFile('cmdline.txt');
    if (!original) throw new UserError(`${fat.where} has no cmdline.txt; is it a Raspberry Pi OS image?`);
    const cmdline = extendCmdline(original.toString('utf8'), boot.cmdline);
    for (const file of boot.files) fat.writeFile(file.name, file.content);
    fat.writeFile('cmdline.txt', cmdline);

    for (const file of [...boot.files, { name: 'cmdline.txt', content: cmdline }]) {
      const back = fat.readFile(file.name);
      if (!back || !back.equals(Buffer.from(file.content, 'utf8'))) {
        throw new UserError(`${file.name} on ${fat.where} did not read back as written; the card may be faulty.`);
      }
    }
    return { files: boot.files.map((f) => f.name), cmdline };
  } finally {
    fat.close();
  }
}

/**
 * cmdline.txt is one line; tokens are appended once each. A token with the
 * same key (`systemd.run=`, `cfg80211.ieee80211_regdom=`, `ds=`) replaces the old one,
 * so configuring a card twice leaves one set of tokens.
 */
export function extendCmdline(line: string, tokens: string[]): string {
  const key = (t: string) => t.split('=')[0];
  const keys = new Set(tokens.map(key));
  const kept = line.replace(/\r?\n/g, ' ').split(/\s+/).filter((t) => t && !keys.has(key(t)));
  return `${[...kept, ...tokens].join(' ')}\n`;
}
