// One entry point for "import this file": Ansible INI, Ansible YAML (or JSON)
// and OpenSSH client config, told apart by extension and then by content.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, parseDocument } from 'yaml';
import { parseAnsibleIni } from './ansible-ini';
import { parseAnsibleYaml } from './ansible-yaml';
import { InventoryFormatError, type InventoryImport } from './inventory-import';
import { parseSshConfig } from './ssh-config-import';

export type InventoryFileFormat = 'ansible-ini' | 'ansible-yaml' | 'ssh-config';

/** Far beyond any Pi cluster's inventory; a wrong pick (a disk image) fails fast. */
const MAX_BYTES = 4 * 1024 * 1024;

export function detectInventoryFormat(file: string, text: string): InventoryFileFormat {
  const ext = path.extname(file).toLowerCase();
  const base = path.basename(file).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return 'ansible-yaml';
  if (ext === '.ini' || ext === '.cfg' || base === 'hosts' || base === 'inventory') return 'ansible-ini';
  if (base === 'config' || base === 'ssh_config' || ext === '.conf') return 'ssh-config';
  const hasSection = /^\s*\[[^\]]+\]\s*$/m.test(text);
  if (!hasSection && /^\s*(Host|Match)(\s*=\s*|\s+)\S/im.test(text)) return 'ssh-config';
  if (!hasSection) {
    const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
    if (!doc.errors.length && isMap(doc.contents)) return 'ansible-yaml';
  }
  return 'ansible-ini';
}

export function importInventoryFile(file: string, options: { defaultUser: string; homeDir?: string }): InventoryImport & { format: InventoryFileFormat } {
  let text: string;
  try {
    if (statSync(file).size > MAX_BYTES) throw new InventoryFormatError(file, undefined, `the file is larger than ${MAX_BYTES / 1024 / 1024} MiB, which is not an inventory`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof InventoryFormatError) throw error;
    throw new InventoryFormatError(file, undefined, `cannot be read: ${(error as Error).message}`);
  }
  if (text.includes('\0')) throw new InventoryFormatError(file, undefined, 'this is a binary file, not an inventory');
  const format = detectInventoryFormat(file, text);
  const opts = { ...options, file };
  const result =
    format === 'ansible-yaml' ? parseAnsibleYaml(text, opts) : format === 'ansible-ini' ? parseAnsibleIni(text, opts) : parseSshConfig(text, opts);
  return { ...result, format };
}
