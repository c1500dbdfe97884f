// Where the catalogue comes from: Raspberry Pi's own list by default, or a
// mirror the user runs. Checked by the main process (https, or this computer).
import { useState } from 'react';
import { DEFAULT_CATALOGUE_URL } from '../../../shared/contract';
import { bridge } from '../../bridge';
import { useApp } from '../../store/app';
import { useFlash } from '../../store/flash';

export function CatalogueSource() {
  const url = useApp((s) => s.settings?.catalogueUrl ?? DEFAULT_CATALOGUE_URL);
  const loadCatalogue = useFlash((s) => s.loadCatalogue);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(url);
  const [error, setError] = useState<string | undefined>();

  async function save(next: string) {
    setError(undefined);
    try {
      const settings = await bridge.settings.update({ catalogueUrl: next.trim() });
      useApp.setState({ settings });
      setEditing(false);
      await loadCatalogue(true);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (!editing) {
    return (
      <p className="muted small catalogue-source-line">
        Catalogue: <span className="mono">{url}</span>{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setDraft(url);
            setEditing(true);
          }}
        >
          Change
        </button>
      </p>
    );
  }
  return (
    <form
      className="catalogue-source"
      onSubmit={(e) => {
        e.preventDefault();
        void save(draft);
      }}
    >
      <label>
        Catalogue address
        <input className="text-input mono" type="url" value={draft} onChange={(e) => setDraft(e.target.value)} aria-describedby="catalogue-source-help" />
      </label>
      <p id="catalogue-source-help" className="muted small">
        An https:// address of a list in Raspberry Pi Imager’s format (os_list_imagingutility_v4.json). Image checksums come from this list, so plain http is accepted only from this computer.
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="catalogue-source-actions">
        <button type="submit" className="button primary">
          Use this catalogue
        </button>
        <button type="button" className="button" onClick={() => void save(DEFAULT_CATALOGUE_URL)}>
          Raspberry Pi’s catalogue
        </button>
        <button type="button" className="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
