// The Flash view's state: the chosen image, the drives with their verdicts,
// which cards are selected, and the running or finished write job.
import { create } from 'zustand';
import type { CatalogueImage, CatalogueItem, DriveView, FlashJob } from '../../shared/contract';
import type { ImageInfo } from '../../shared/images';
import { driveVerdicts } from '../../shared/drives';
import { bridge } from '../bridge';
import { cardNames, useBoot } from './boot';

interface FlashState {
  source: 'file' | 'catalogue';
  catalogue: { items: CatalogueItem[]; url: string } | undefined;
  catalogueError: string | undefined;
  catalogueLoading: boolean;
  chosenOs: CatalogueImage | undefined;
  imagePath: string;
  image: ImageInfo | undefined;
  imageError: string | undefined;
  drives: DriveView[];
  drivesError: string | undefined;
  selected: string[];
  showSystem: boolean;
  showVirtual: boolean;
  confirming: boolean;
  job: FlashJob | undefined;
  startError: string | undefined;
  setSource(source: 'file' | 'catalogue'): void;
  loadCatalogue(refresh?: boolean): Promise<void>;
  chooseOs(os: CatalogueImage): Promise<void>;
  chooseImage(path: string): Promise<void>;
  pickImage(): Promise<void>;
  refreshDrives(): Promise<void>;
  toggle(device: string): void;
  setShowSystem(on: boolean): void;
  setShowVirtual(on: boolean): void;
  setConfirming(on: boolean): void;
  write(): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
}

export const useFlash = create<FlashState>()((set, get) => ({
  source: 'file',
  catalogue: undefined,
  catalogueError: undefined,
  catalogueLoading: false,
  chosenOs: undefined,
  imagePath: '',
  image: undefined,
  imageError: undefined,
  drives: [],
  drivesError: undefined,
  selected: [],
  showSystem: false,
  showVirtual: false,
  confirming: false,
  job: undefined,
  startError: undefined,

  setSource(source) {
    set({ source });
    if (source === 'catalogue' && !get().catalogue) void get().loadCatalogue();
  },

  async loadCatalogue(refresh) {
    set({ catalogueLoading: true, catalogueError: undefined });
    try {
      set({ catalogue: await bridge.catalogue.list({ refresh }) });
    } catch (error) {
      set({ catalogueError: (error as Error).message });
    } finally {
      set({ catalogueLoading: false });
    }
  },

  async chooseOs(os) {
    set({
      chosenOs: os,
      imagePath: '',
      imageError: undefined,
      image: { path: os.url, name: os.name, format: /\.xz$/.test(os.url) ? 'xz' : /\.zip$/.test(os.url) ? 'zip' : /\.gz$/.test(os.url) ? 'gzip' : 'raw', fileSize: os.downloadSize ?? 0, size: os.extractSize, sizeIsExact: os.extractSize !== undefined },
    });
    await get().refreshDrives();
  },

  async chooseImage(path) {
    set({ imagePath: path, image: undefined, imageError: undefined, chosenOs: undefined });
    if (!path.trim()) return;
    try {
      set({ image: await bridge.images.inspect({ path: path.trim() }) });
    } catch (error) {
      set({ imageError: (error as Error).message });
    }
    await get().refreshDrives();
  },

  async pickImage() {
    try {
      const { path } = await bridge.images.pick({});
      if (path) await get().chooseImage(path);
    } catch (error) {
      set({ imageError: (error as Error).message });
    }
  },

  async refreshDrives() {
    const { image, chosenOs, showSystem, showVirtual } = get();
    try {
      const { drives } = await bridge.drives.list({ imagePath: chosenOs ? undefined : image?.path, showSystem, showVirtual });
      if (chosenOs?.extractSize) for (const d of drives) d.verdicts = withSizeVerdict(d, chosenOs.extractSize);
      const present = new Set(drives.map((d) => d.device));
      // A pulled card leaves the selection; a card that became unwritable too.
      const selected = get().selected.filter((d) => present.has(d) && isSelectable(drives.find((x) => x.device === d)!, showSystem));
      set({ drives, selected, drivesError: undefined });
    } catch (error) {
      set({ drivesError: (error as Error).message });
    }
  },

  toggle(device) {
    const { selected } = get();
    set({ selected: selected.includes(device) ? selected.filter((d) => d !== device) : [...selected, device] });
  },

  setShowSystem(on) {
    set({ showSystem: on });
    void get().refreshDrives();
  },
  setShowVirtual(on) {
    set({ showVirtual: on });
    void get().refreshDrives();
  },
  setConfirming: (confirming) => set({ confirming }),

  async write() {
    const { image, chosenOs, selected, showSystem } = get();
    if (!image || selected.length === 0) return;
    set({ confirming: false, startError: undefined });
    try {
      const boot = await useBoot.getState().settings();
      const job = await bridge.flash.start({
        ...(chosenOs ? { catalogue: chosenOs } : { image: image.path }),
        targets: selected,
        allowSystemDrives: showSystem ? selected.filter((d) => get().drives.find((x) => x.device === d)?.isSystem) : undefined,
        boot: boot ? { settings: boot, names: cardNames(boot.hostnamePattern, selected, useBoot.getState().names) } : undefined,
      });
      set({ job });
    } catch (error) {
      set({ startError: (error as Error).message });
    }
  },

  async cancel() {
    const { job } = get();
    if (job) await bridge.flash.cancel({ jobId: job.jobId });
  },

  reset: () => set({ job: undefined, selected: [], startError: undefined }),
}));

/** The too-small verdict for a catalogue image, whose size is known before it is downloaded. */
function withSizeVerdict(drive: DriveView, imageSize: number): DriveView['verdicts'] {
  if (drive.size === null || drive.size >= imageSize || drive.verdicts.some((v) => v.code === 'too-small')) return drive.verdicts;
  return [...drive.verdicts, ...driveVerdicts(drive, { imageSize }).filter((v) => v.code === 'too-small')];
}

/** A drive can be ticked unless a verdict forbids it (system drives only once shown on purpose). */
export function isSelectable(drive: DriveView, showSystem: boolean): boolean {
  return drive.verdicts.every((v) => v.level === 'warning' || (v.level === 'danger' && showSystem));
}

export function subscribeFlashEvents(): () => void {
  const offs = [
    bridge.on('drives:changed', () => void useFlash.getState().refreshDrives()),
    bridge.on('flash:progress', (job) => {
      if (useFlash.getState().job?.jobId === job.jobId) useFlash.setState({ job });
    }),
    bridge.on('flash:done', (job) => {
      if (useFlash.getState().job?.jobId === job.jobId) useFlash.setState({ job });
      void useFlash.getState().refreshDrives();
    }),
  ];
  return () => offs.forEach((off) => off());
}
