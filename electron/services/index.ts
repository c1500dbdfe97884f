// The composition root for services: everything the app (or the dev bridge, or
// the CLI) runs, built for one data folder and one event hub. No `electron` here.
import type { AppInfo } from '../../shared/contract';
import { ensureDataDir } from './app/data-dir';
import { NoticeBoard } from './app/notice-board';
import { SettingsService } from './app/settings-service';
import { createEventHub, type EventHub } from './event-hub';

export interface ServiceOptions {
  dataDir: string;
  transport: AppInfo['transport'];
  hub?: EventHub;
}

export interface Services {
  dataDir: string;
  transport: AppInfo['transport'];
  hub: EventHub;
  notices: NoticeBoard;
  settings: SettingsService;
  dispose(): Promise<void>;
}

export function createServices(options: ServiceOptions): Services {
  const dataDir = ensureDataDir(options.dataDir);
  const hub = options.hub ?? createEventHub();
  const notices = new NoticeBoard(hub.emit);
  const settings = new SettingsService(dataDir, hub.emit, notices);
  return {
    dataDir,
    transport: options.transport,
    hub,
    notices,
    settings,
    async dispose() {},
  };
}
