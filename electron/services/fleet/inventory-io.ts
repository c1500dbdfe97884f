// Import into and export from the inventory: the file formats live in
// inventory-formats/, this joins them to the store.
import os from 'node:os';
import type { ImportResult, InventoryFormat } from '../../../shared/fleet';
import { toAnsibleIni } from './inventory-formats/ansible-ini';
import { toAnsibleYaml } from './inventory-formats/ansible-yaml';
import { toDhcpdHosts, toDnsmasqHosts } from './inventory-formats/dhcp-leases';
import { importInventoryFile } from './inventory-formats/import-inventory-file';
import type { Inventory } from './inventory';

/** Raspberry Pi OS's first user has no fixed name any more; a user who names none most likely means their own. */
const fallbackUser = () => {
  try {
    return os.userInfo().username;
  } catch {
    return 'pi';
  }
};

export async function importInventory(inventory: Inventory, file: string, defaultUser = fallbackUser()): Promise<ImportResult> {
  const read = importInventoryFile(file, { defaultUser });
  const merged = await inventory.merge(read.nodes, { groupVars: read.groupVars, groupChildren: read.groupChildren });
  return {
    added: merged.added,
    updated: merged.updated,
    renamed: read.renamed,
    skipped: [...read.skipped, ...merged.skipped],
  };
}

export function exportInventory(inventory: Inventory, format: InventoryFormat): { text: string; fileName: string } {
  switch (format) {
    case 'ansible-yaml':
      return { text: toAnsibleYaml(inventory.document()), fileName: 'inventory.yml' };
    case 'ansible-ini':
      return { text: toAnsibleIni(inventory.document()), fileName: 'inventory.ini' };
    case 'dnsmasq':
      return { text: toDnsmasqHosts(inventory.list()).text, fileName: 'bramble-dhcp-hosts.conf' };
    case 'dhcpd':
      return { text: toDhcpdHosts(inventory.list()).text, fileName: 'bramble-dhcpd-hosts.conf' };
  }
}
