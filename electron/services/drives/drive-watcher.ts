// Watches for cards being inserted and pulled: lists drives every interval and
// reports when the set (or a drive's size, media or mounts) changes. Polling is
// portable (no udev here, nor on macOS/Windows) and one lsblk a second is cheap.
import type { Drive } from '../../../shared/drives';
import { listAllDrives, type DriveLister } from './list-drives';

export interface DriveWatcherOptions {
  list?: DriveLister;
  intervalMs?: number;
  onChange: (drives: Drive[]) => void;
  onError?: (error: unknown) => void;
}

export class DriveWatcher {
  private timer: NodeJS.Timeout | undefined;
  private last = '';
  private current: Drive[] = [];
  private readonly list: DriveLister;

  constructor(private readonly options: DriveWatcherOptions) {
    this.list = options.list ?? listAllDrives;
  }

  get drives(): Drive[] {
    return this.current;
  }

  /** Lists now; reports a change if there is one. */
  async refresh(): Promise<Drive[]> {
    try {
      const drives = await this.list();
      const key = JSON.stringify(drives);
      if (key !== this.last) {
        this.last = key;
        this.current = drives;
        this.options.onChange(drives);
      }
    } catch (error) {
      this.options.onError?.(error);
    }
    return this.current;
  }

  start(): void {
    if (this.timer) return;
    const tick = async () => {
      await this.refresh();
      if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs ?? 1000);
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
