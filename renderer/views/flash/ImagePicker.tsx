// Step 1: the image. A path (typed, pasted, chosen in the system dialog, or
// dropped on the window) and what Bramble learned about it.
import { FileArchive, FolderOpen } from 'lucide-react';
import { useState, type DragEvent } from 'react';
import { formatBytes } from '../../../shared/drives';
import { useApp } from '../../store/app';
import { useFlash } from '../../store/flash';
import { CatalogueList } from './CatalogueList';

declare global {
  interface Window {
    brambleFiles?: { pathFor(file: File): string };
  }
}

const FORMAT_LABEL = { raw: 'Raw image', xz: 'xz-compressed', gzip: 'gzip-compressed', zip: 'zip archive', bzip2: 'bzip2-compressed' };

export function ImagePicker({ disabled }: { disabled: boolean }) {
  const { imagePath, image, imageError, chooseImage, pickImage, source, setSource, chosenOs } = useFlash();
  const desktop = useApp((s) => s.info?.transport === 'electron');
  const [draft, setDraft] = useState(imagePath);
  const [dragging, setDragging] = useState(false);
  const [dropError, setDropError] = useState<string>();

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (!file) return;
    const path = window.brambleFiles?.pathFor(file);
    if (!path) {
      setDropError('The browser does not reveal where a dropped file lives; paste its path instead.');
      return;
    }
    setDropError(undefined);
    setDraft(path);
    void chooseImage(path);
  };

  return (
    <section className={`panel drop-zone${dragging ? ' dragging' : ''}`} aria-labelledby="image-heading" onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      <div className="panel-head">
        <h2 id="image-heading" className="panel-title"><span className="step-number">1</span> Image</h2>
        <div className="segmented text" role="tablist" aria-label="Image source">
          <button type="button" role="tab" aria-selected={source === 'file'} onClick={() => setSource('file')}>Local file</button>
          <button type="button" role="tab" aria-selected={source === 'catalogue'} onClick={() => setSource('catalogue')}>Raspberry Pi catalogue</button>
        </div>
      </div>
      {source === 'catalogue' ? <CatalogueList disabled={disabled} /> : <form
        className="path-row"
        onSubmit={(e) => {
          e.preventDefault();
          void chooseImage(draft);
        }}
      >
        <label className="visually-hidden" htmlFor="image-path">Image file path</label>
        <input id="image-path" className="text-input" placeholder="/path/to/raspios.img.xz — or drop the file here" value={draft} disabled={disabled} onChange={(e) => setDraft(e.target.value)} onBlur={() => draft !== imagePath && void chooseImage(draft)} spellCheck={false} />
        <button type="submit" className="button" disabled={disabled}>Use</button>
        {desktop && (
          <button type="button" className="button" disabled={disabled} onClick={() => void pickImage()}>
            <FolderOpen size={16} aria-hidden /> Choose…
          </button>
        )}
      </form>}
      {(imageError || dropError) && <p className="field-error" role="alert">{imageError ?? dropError}</p>}
      {image && (
        <div className="image-card" aria-label="Chosen image">
          <FileArchive size={28} aria-hidden />
          <div>
            <p className="image-name">{image.name}</p>
            <p className="muted">
              {FORMAT_LABEL[image.format]} · {image.size !== undefined ? `${image.sizeIsExact ? '' : '~'}${formatBytes(image.size)} on the card` : 'size known after writing'}
              {image.format !== 'raw' && ` · ${formatBytes(image.fileSize)} file`}
              {image.bmapPath && ' · block map found: only used blocks are written'}
              {chosenOs && ' · downloaded and checked against its SHA-256 when you write'}
            </p>
          </div>
        </div>
      )}
    </section>
  );
}
