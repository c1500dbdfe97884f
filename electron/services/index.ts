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
import { Credentials, type SecretStore } from './fleet/credentials';
import { FleetRuns } from './fleet/fleet-runs';
import { FleetService } from './fleet/fleet-service';
import { Inventory } from './fleet/inventory';
import { exportInventory, importInventory } from './fleet/inventory-io';
import { MdnsResolver, type MdnsOptions } from './fleet/mdns-resolver';
import { PendingDiscovery } from './fleet/pending-discovery';
import { TerminalSessions } from './fleet/terminal-sessions';
import { LogStreams } from './logs/log-streams';
import { PowerService } from './power/power-service';
import { ProvisionService } from './provision/provision-service';
import { findAssetsDir } from './app/assets-dir';
import type { ImportResult, InventoryFormat } from '../../shared/fleet';

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
  /** Connect to the fleet and look for flashed nodes at once (the app does; CLI commands start it when they need it). */
  connectFleet?: boolean;
  /** Where node passwords can be kept (the desktop app's keychain); none elsewhere. */
  secrets?: SecretStore;
  /** Multicast DNS socket options (tests use loopback). */
  mdns?: MdnsOptions;
  /** Where built-in playbooks are; found from the code's location by default. */
  assetsDir?: string;
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
  inventory: Inventory;
  credentials: Credentials;
  fleet: FleetService;
  discovery: PendingDiscovery;
  runs: FleetRuns;
  terminals: TerminalSessions;
  power: PowerService;
  logs: LogStreams;
  provision: ProvisionService;
  importInventory(file: string, defaultUser?: string): Promise<ImportResult>;
  exportInventory(format: InventoryFormat): { text: string; fileName: string };
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
  const inventory = new Inventory(dataDir, notices);
  const credentials = new Credentials(options.secrets);
  // With the fleet connected, tile numbers come from the power monitor's samples; no second poll.
  const fleet = new FleetService({ inventory, knownHosts, credentials, pending, vitalsIntervalMs: options.connectFleet ? 0 : undefined, learnMac: (name, mac) => inventory.update(name, { mac }).then(() => undefined) });
  const discovery = new PendingDiscovery({
    pending,
    inventory,
    knownHosts,
    credentials,
    resolver: new MdnsResolver(options.mdns),
    clusterKeyPath: path.join(dataDir, 'keys', 'cluster_ed25519'),
  });
  fleet.pendingNote = (name) => discovery.note(name);
  fleet.on('state', (state) => hub.emit('fleet:state', state));
  fleet.on('removed', (name: string) => hub.emit('fleet:removed', { name }));
  discovery.on('note', (name: string) => fleet.emitPending(name));
  const runs = new FleetRuns(fleet, hub.emit);
  const terminals = new TerminalSessions(fleet, hub.emit);
  const logs = new LogStreams(fleet, hub.emit);
  // History is kept by the long-running app only; a CLI command polls once and leaves.
  const power = new PowerService({ fleet, inventory, emit: hub.emit, settings: () => settings.get(), dataDir: options.connectFleet ? dataDir : undefined, watchKernelLog: options.connectFleet });
  hub.subscribe((event, payload) => {
    if (event === 'settings:changed') void power.applySettings(payload as ReturnType<typeof settings.get>);
  });
  const provision = new ProvisionService({ fleet, inventory, emit: hub.emit, dataDir, assetsDir: options.assetsDir ?? findAssetsDir(), knownHostsPath: knownHosts.file });
  if (options.connectFleet) {
    fleet.start();
    discovery.start();
    power.start();
  }
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
    inventory,
    credentials,
    fleet,
    discovery,
    runs,
    terminals,
    power,
    logs,
    provision,
    importInventory: (file, defaultUser) => importInventory(inventory, file, defaultUser),
    exportInventory: (format) => exportInventory(inventory, format),
    async dispose() {
      drives.stop();
      runs.cancelAll();
      terminals.closeAll();
      logs.closeAll();
      provision.cancelAll();
      await power.stop();
      discovery.stop();
      fleet.stop();
    },
  };
}
