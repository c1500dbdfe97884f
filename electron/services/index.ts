// The composition root for services: everything the app (or the dev bridge, or
// the CLI) runs, built for one data folder and one event hub. No `electron` here.
import path from 'node:path';
import type { AppInfo } from '../../shared/contract';
import type { FetchText } from './images/catalogue';
import { CatalogueService } from './images/catalogue-service';
import { ensureDataDir } from './app/data-dir';
import { NoticeBoard } from './app/notice-board';
import { SettingsService } from './app/settings-service';
import { DriveService } from './drives/drive-service';
import type { DriveLister } from './drives/list-drives';
import { createEventHub, type EventHub } from './event-hub';
import { FlashService, type StartWriter } from './flash/flash-service';
import { KnownHosts } from './fleet/known-hosts';
import { BootProfiles } from './bootconfig/boot-profiles';
import { PendingNodes } from './fleet/pending-nodes';

export interface ServiceOptions {
  dataDir: string;
  transport: AppInfo['transport'];
  hub?: EventHub;
  /** Edges tests may replace; real by default. */
  listDrives?: DriveLister;
  startWriter?: StartWriter;
  fetchCatalogue?: FetchText;
  /** Poll for card insertions (the app does; the CLI lists once). */
  watchDrives?: boolean;
}

export interface Services {
  dataDir: string;
  transport: AppInfo['transport'];
  hub: EventHub;
  notices: NoticeBoard;
  settings: SettingsService;
  drives: DriveService;
  flash: FlashService;
  catalogue: CatalogueService;
  knownHosts: KnownHosts;
  pending: PendingNodes;
  profiles: BootProfiles;
  dispose(): Promise<void>;
}

export function createServices(options: ServiceOptions): Services {
  const dataDir = ensureDataDir(options.dataDir);
  const hub = options.hub ?? createEventHub();
  const notices = new NoticeBoard(hub.emit);
  const settings = new SettingsService(dataDir, hub.emit, notices);
  const drives = new DriveService(hub.emit, options.listDrives);
  if (options.watchDrives) drives.start();
  const knownHosts = new KnownHosts(path.join(dataDir, 'known_hosts'));
  const pending = new PendingNodes(dataDir, notices);
  const profiles = new BootProfiles(dataDir, notices);
  const flash = new FlashService(hub.emit, drives, path.join(dataDir, 'cache', 'images'), options.startWriter, { knownHosts, pending });
  const catalogue = new CatalogueService(() => settings.get().catalogueUrl, options.fetchCatalogue);
  return {
    dataDir,
    transport: options.transport,
    hub,
    notices,
    settings,
    drives,
    flash,
    catalogue,
    knownHosts,
    pending,
    profiles,
    async dispose() {
      drives.stop();
    },
  };
}
