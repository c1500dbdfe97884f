// The OS catalogue for the image picker: loaded from the URL in settings,
// kept for the session, with icons fetched here and handed to the page as
// data: URLs (the page's CSP lets it load nothing from the network).
import type { CatalogueItem } from '../../../shared/contract';
import { fetchText, loadCatalogue, type FetchText } from './catalogue';

const MAX_ICON_BYTES = 256 * 1024;
const ICON_TYPES = /^image\/(png|svg\+xml|jpeg|webp|gif)$/;

export type FetchIcon = (url: string) => Promise<string | undefined>;

export class CatalogueService {
  private cache: { url: string; items: CatalogueItem[] } | undefined;

  constructor(
    private readonly catalogueUrl: () => string,
    private readonly fetcher: FetchText = fetchText,
    private readonly fetchIcon: FetchIcon = iconAsDataUrl,
  ) {}

  async list(refresh = false): Promise<{ url: string; items: CatalogueItem[] }> {
    const url = this.catalogueUrl();
    if (!refresh && this.cache?.url === url) return this.cache;
    const items = await loadCatalogue(url, this.fetcher);
    await this.inlineIcons(items);
    this.cache = { url, items };
    return this.cache;
  }

  private async inlineIcons(items: CatalogueItem[]): Promise<void> {
    await Promise.all(
      items.map(async (item) => {
        if (item.icon) item.icon = await this.fetchIcon(item.icon).catch(() => undefined);
        if (item.kind === 'group') await this.inlineIcons(item.items);
      }),
    );
  }
}

export async function iconAsDataUrl(url: string): Promise<string | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!response.ok || !ICON_TYPES.test(type)) return undefined;
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_ICON_BYTES) return undefined;
  return `data:${type};base64,${body.toString('base64')}`;
}
