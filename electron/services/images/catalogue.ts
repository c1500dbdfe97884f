// Raspberry Pi's OS catalogue (os_list_imagingutility_v4.json): entries with
// download URL, sizes, SHA-256s and OS generation, nested through `subitems`
// and `subitems_url`. Parsed leniently (unknown fields kept out, odd entries
// skipped with a reason) because the file is written for Raspberry Pi Imager.
import { z } from 'zod';
import type { CatalogueImage, CatalogueItem } from '../../../shared/contract';
import { UserError } from '../user-error';

const Sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/).transform((s) => s.toLowerCase());

const RawEntry: z.ZodType<RawEntryT> = z.lazy(() =>
  z.object({
    name: z.string(),
    description: z.string().optional(),
    icon: z.string().optional(),
    url: z.string().optional(),
    extract_size: z.number().optional(),
    extract_sha256: Sha256.optional(),
    image_download_size: z.number().optional(),
    image_download_sha256: Sha256.optional(),
    release_date: z.string().optional(),
    init_format: z.string().optional(),
    devices: z.array(z.string()).optional(),
    bmap_url: z.string().optional(),
    subitems: z.array(RawEntry).optional(),
    subitems_url: z.string().optional(),
  }),
);
interface RawEntryT {
  name: string;
  description?: string;
  icon?: string;
  url?: string;
  extract_size?: number;
  extract_sha256?: string;
  image_download_size?: number;
  image_download_sha256?: string;
  release_date?: string;
  init_format?: string;
  devices?: string[];
  bmap_url?: string;
  subitems?: RawEntryT[];
  subitems_url?: string;
}

const RawCatalogue = z.object({ os_list: z.array(z.unknown()) });

export type { CatalogueImage, CatalogueItem };

export type FetchText = (url: string) => Promise<string>;

export async function fetchText(url: string, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    throw new UserError(`Bramble could not reach ${new URL(url).host} (${(error as Error).message}); check the network.`);
  }
  if (!response.ok) throw new UserError(`${url} answered HTTP ${response.status}.`);
  return response.text();
}

export async function loadCatalogue(url: string, fetcher: FetchText = fetchText, depth = 0): Promise<CatalogueItem[]> {
  if (depth > 4) throw new UserError('The OS catalogue nests sub-lists more than four levels deep; it is probably malformed.');
  let json: unknown;
  try {
    json = JSON.parse(await fetcher(url));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`The OS catalogue at ${url} is not valid JSON.`);
  }
  const top = RawCatalogue.safeParse(json);
  if (!top.success) throw new UserError(`The OS catalogue at ${url} has no os_list.`);
  const items: CatalogueItem[] = [];
  for (const raw of top.data.os_list) {
    const entry = RawEntry.safeParse(raw);
    if (entry.success) {
      const item = await toItem(entry.data, url, fetcher, depth);
      if (item) items.push(item);
    }
  }
  return items;
}

async function toItem(e: RawEntryT, base: string, fetcher: FetchText, depth: number): Promise<CatalogueItem | undefined> {
  const description = e.description ?? '';
  const icon = e.icon ? resolve(e.icon, base) : undefined;
  if (e.subitems || e.subitems_url) {
    const nested: CatalogueItem[] = [];
    for (const sub of e.subitems ?? []) {
      const item = await toItem(sub, base, fetcher, depth);
      if (item) nested.push(item);
    }
    if (e.subitems_url) nested.push(...(await loadCatalogue(resolve(e.subitems_url, base), fetcher, depth + 1)));
    return { kind: 'group', name: e.name, description, icon, items: nested };
  }
  if (!e.url) return undefined; // "Erase", "Use custom": actions of Imager's, not images
  return {
    kind: 'image',
    name: e.name,
    description,
    icon,
    url: resolve(e.url, base),
    extractSize: e.extract_size,
    extractSha256: e.extract_sha256,
    downloadSize: e.image_download_size,
    downloadSha256: e.image_download_sha256,
    releaseDate: e.release_date,
    initFormat: e.init_format,
    devices: e.devices ?? [],
    bmapUrl: e.bmap_url ? resolve(e.bmap_url, base) : undefined,
  };
}

function resolve(url: string, base: string): string {
  return new URL(url, base).toString();
}

/** Every image of the tree, in order, each with the path of group names above it. */
export function flattenCatalogue(items: CatalogueItem[], path: string[] = []): (CatalogueImage & { path: string[] })[] {
  return items.flatMap((item) => (item.kind === 'image' ? [{ ...item, path }] : flattenCatalogue(item.items, [...path, item.name])));
}
