// Raspberry Pi's OS catalogue: search, groups, and one row per image with its
// icon, description, release date and size. Choosing one downloads it when the
// write starts (checked against its published SHA-256).
import { ChevronRight, RefreshCw, Search } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { CatalogueImage, CatalogueItem } from '../../../shared/contract';
import { formatBytes } from '../../../shared/drives';
import { useFlash } from '../../store/flash';
import { CatalogueSource } from './CatalogueSource';

function matches(item: CatalogueItem, q: string): boolean {
  if (!q) return true;
  const text = `${item.name} ${item.description}`.toLowerCase();
  return text.includes(q) || (item.kind === 'group' && item.items.some((i) => matches(i, q)));
}

export function CatalogueList({ disabled }: { disabled: boolean }) {
  const { catalogue, catalogueError, catalogueLoading, loadCatalogue, chosenOs, chooseOs } = useFlash();
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const items = useMemo(() => (catalogue?.items ?? []).filter((i) => matches(i, q)), [catalogue, q]);

  return (
    <div className="catalogue">
      <div className="path-row">
        <label className="search">
          <Search size={15} aria-hidden />
          <span className="visually-hidden">Search the catalogue</span>
          <input className="text-input plain" type="search" placeholder="Search Raspberry Pi OS, Lite, 64-bit…" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <button type="button" className="button" onClick={() => void loadCatalogue(true)} disabled={catalogueLoading} aria-label="Reload the catalogue">
          <RefreshCw size={15} aria-hidden />
        </button>
      </div>
      {catalogueLoading && <p className="muted">Loading the catalogue…</p>}
      {catalogueError && <p className="field-error" role="alert">{catalogueError}</p>}
      {catalogue && items.length === 0 && <p className="muted">Nothing in the catalogue matches “{query}”.</p>}
      <ul className="os-list" aria-label="Operating systems">
        {items.map((item) => (
          <OsItem key={item.name} item={item} q={q} chosen={chosenOs} onChoose={(os) => void chooseOs(os)} disabled={disabled} />
        ))}
      </ul>
      <CatalogueSource />
    </div>
  );
}

function OsItem({ item, q, chosen, onChoose, disabled }: { item: CatalogueItem; q: string; chosen?: CatalogueImage; onChoose: (os: CatalogueImage) => void; disabled: boolean }) {
  const [open, setOpen] = useState(false);
  if (item.kind === 'group') {
    const expanded = open || q.length > 0;
    return (
      <li className="os-group">
        <button type="button" className="os-row" aria-expanded={expanded} onClick={() => setOpen(!open)}>
          <OsIcon src={item.icon} />
          <span className="os-text">
            <span className="os-name">{item.name}</span>
            <span className="muted">{item.description}</span>
          </span>
          <ChevronRight size={16} aria-hidden className={expanded ? 'rotated' : ''} />
        </button>
        {expanded && (
          <ul className="os-list nested">
            {item.items.filter((i) => matches(i, q)).map((sub) => (
              <OsItem key={sub.name} item={sub} q={q} chosen={chosen} onChoose={onChoose} disabled={disabled} />
            ))}
          </ul>
        )}
      </li>
    );
  }
  const selected = chosen?.url === item.url;
  return (
    <li>
      <button type="button" className={`os-row${selected ? ' selected' : ''}`} aria-pressed={selected} disabled={disabled} onClick={() => onChoose(item)}>
        <OsIcon src={item.icon} />
        <span className="os-text">
          <span className="os-name">{item.name}</span>
          <span className="muted">{item.description}</span>
          <span className="muted small">
            {[item.releaseDate && `Released ${item.releaseDate}`, item.downloadSize && `${formatBytes(item.downloadSize)} download`, item.extractSize && `${formatBytes(item.extractSize)} on the card`].filter(Boolean).join(' · ')}
          </span>
        </span>
      </button>
    </li>
  );
}

function OsIcon({ src }: { src?: string }) {
  return src ? <img className="os-icon" src={src} alt="" width={32} height={32} /> : <span className="os-icon placeholder" aria-hidden />;
}
