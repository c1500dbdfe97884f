// The drives the user may pick, with a safety verdict each for the chosen
// image. Watches for insertions and removals and tells the UI when the list
// changes; the UI then asks for the list with verdicts for its image.
import type { DriveView } from '../../../shared/contract';
import { driveVerdicts, mountpointOf, type Drive } from '../../../shared/drives';
import type { Emit } from '../event-hub';
import { inspectImage } from '../images/inspect-image';
import { DriveWatcher } from './drive-watcher';
import { listAllDrives, type DriveLister } from './list-drives';

export interface DriveListOptions {
  imagePath?: string;
  /** Show system drives (with their "danger" verdict); hidden by default. */
  showSystem?: boolean;
  /** Show virtual drives (loop devices); hidden by default in the GUI. */
  showVirtual?: boolean;
}

export class DriveService {
  private readonly watcher: DriveWatcher;

  constructor(emit: Emit, private readonly list: DriveLister = listAllDrives, intervalMs = 1000) {
    this.watcher = new DriveWatcher({ list, intervalMs, onChange: (drives) => emit('drives:changed', { count: drives.length }) });
  }

  start(): void {
    this.watcher.start();
  }

  stop(): void {
    this.watcher.stop();
  }

  async current(): Promise<Drive[]> {
    return this.list();
  }

  async view(options: DriveListOptions = {}): Promise<DriveView[]> {
    const drives = await this.watcher.refresh();
    const image = options.imagePath ? await inspectImage(options.imagePath) : undefined;
    const imageMountpoint = image ? mountpointOf(drives, image.path) : undefined;
    return drives
      .filter((d) => (options.showSystem || !d.isSystem) && (options.showVirtual || !d.isVirtual))
      .map((d) => ({ ...d, verdicts: driveVerdicts(d, { imageSize: image?.size, imageSizeExact: image?.sizeIsExact, imagePath: image?.path, imageMountpoint }) }));
  }
}
