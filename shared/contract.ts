// The single list of everything the renderer may ask of the main process and
// everything the main process may push back. Both transports (Electron IPC and
// the WebSocket dev bridge) are built from these two tables, and the main side
// parses every request with the schema named here before a service sees it.
import { z } from 'zod';
import { DriveSchema, VerdictSchema } from './drives';
import { ImageInfoSchema } from './images';
import { BootSettingsSchema } from './boot-settings';
import {
  FleetNodeSchema,
  HostAddressSchema,
  ImportResultSchema,
  InventoryFormatSchema,
  NodeNameSchema,
  NodeRunResultSchema,
  NodeStateSchema,
} from './fleet';
import { AlertSchema, HistoryEventSchema, MetricPointSchema, PowerEpisodeSchema, SupplyFindingSchema } from './power';
import { NodeTelemetrySchema, TelemetrySampleSchema } from './telemetry';
import { LogEntrySchema } from './logs/log-schema';
import { PlaybookInfoSchema, ProvisionEngineSchema, ProvisionEventSchema, ProvisionRunSchema, RecapSchema } from './provision';

export const ThemeSchema = z.enum(['system', 'dark', 'light']);
export type Theme = z.infer<typeof ThemeSchema>;

export const DEFAULT_CATALOGUE_URL = 'https://downloads.raspberrypi.com/os_list_imagingutility_v4.json';

function isLoopbackUrl(u: string): boolean {
  const host = new URL(u).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Each setting's rule, without its default: a patch names only what it changes. */
const settingFields = {
  theme: ThemeSchema,
  /**
   * Where the OS catalogue comes from (Raspberry Pi's, or a mirror). The image
   * checksums come from the catalogue itself, so it must arrive over https;
   * plain http only from this computer (a local mirror, the tests).
   */
  catalogueUrl: z
    .url({ protocol: /^https?$/ })
    .refine((u) => u.startsWith('https:') || isLoopbackUrl(u), 'the catalogue must be an https:// address (plain http only from this computer)'),
  /** How often each node's power and health are read. */
  telemetryIntervalSeconds: z.number().min(1).max(300),
  /** A node at or above this temperature raises an alert. */
  temperatureAlertC: z.number().min(40).max(110),
  /** Desktop notifications for power alerts. */
  notifications: z.boolean(),
  /** Opt-in Prometheus metrics on 127.0.0.1. */
  prometheus: z.object({ enabled: z.boolean(), port: z.number().int().min(1024).max(65535) }).strict(),
  /** Lines kept per log view before the oldest are dropped. */
  logBufferLines: z.number().int().min(1000).max(1_000_000),
};

export const SettingsSchema = z.object({
  theme: settingFields.theme,
  catalogueUrl: settingFields.catalogueUrl.default(DEFAULT_CATALOGUE_URL),
  telemetryIntervalSeconds: settingFields.telemetryIntervalSeconds.default(2),
  temperatureAlertC: settingFields.temperatureAlertC.default(80),
  notifications: settingFields.notifications.default(true),
  prometheus: settingFields.prometheus.default({ enabled: false, port: 9877 }),
  logBufferLines: settingFields.logBufferLines.default(100_000),
});
/** A change to some settings; absent keys stay as they are (no defaults filled in). */
export const SettingsPatchSchema = z.object(settingFields).partial().strict();
export type Settings = z.infer<typeof SettingsSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  dataDir: z.string(),
  transport: z.enum(['electron', 'dev-bridge']),
  versions: z.record(z.string(), z.string()),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** A notice the main process wants the user to see (a corrupt settings file, say). */
export const NoticeSchema = z.object({
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
export type Notice = z.infer<typeof NoticeSchema>;

const NoArgs = z.object({}).strict();

/** A path the user chose; bounded so a hostile page cannot send megabytes. */
const PathString = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'must not contain NUL');

export const DriveViewSchema = DriveSchema.extend({ verdicts: z.array(VerdictSchema) });
export type DriveView = z.infer<typeof DriveViewSchema>;

export const FlashPhaseSchema = z.enum(['starting', 'writing', 'verifying', 'done', 'failed', 'cancelled']);
export const TargetProgressSchema = z.object({
  target: z.string(),
  phase: FlashPhaseSchema,
  bytes: z.number(),
  total: z.number(),
  speed: z.number(),
  eta: z.number().optional(),
  error: z.string().optional(),
});
export type TargetProgress = z.infer<typeof TargetProgressSchema>;

export const CatalogueImageSchema = z.object({
  kind: z.literal('image'),
  name: z.string().max(200),
  description: z.string().max(2000),
  icon: z.string().optional(),
  url: z.url({ protocol: /^https?$/ }),
  extractSize: z.number().int().positive().optional(),
  extractSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  downloadSize: z.number().int().positive().optional(),
  downloadSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  releaseDate: z.string().max(40).optional(),
  initFormat: z.string().max(40).optional(),
  devices: z.array(z.string().max(100)).max(100),
  bmapUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type CatalogueImage = z.infer<typeof CatalogueImageSchema>;
export type CatalogueItem = CatalogueImage | { kind: 'group'; name: string; description: string; icon?: string; items: CatalogueItem[] };
export const CatalogueItemSchema: z.ZodType<CatalogueItem> = z.lazy(() =>
  z.union([CatalogueImageSchema, z.object({ kind: z.literal('group'), name: z.string(), description: z.string(), icon: z.string().optional(), items: z.array(CatalogueItemSchema) })]),
);

export const FlashJobSchema = z.object({
  jobId: z.string(),
  image: ImageInfoSchema,
  /** While a catalogue image downloads: bytes so far and the total when known. */
  download: z.object({ bytes: z.number(), total: z.number().optional() }).optional(),
  targets: z.array(TargetProgressSchema),
  /** Per card: the node it becomes, and the host key fingerprint Bramble will expect from it. */
  cards: z.array(z.object({ target: z.string(), hostname: z.string(), fingerprint: z.string(), format: z.string().optional(), warnings: z.array(z.string()).optional() })).optional(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  startedAt: z.string(),
  seconds: z.number().optional(),
  /** Of the image's bytes, how many went to each card: the rest was free space or holes, left as the card had it. */
  written: z.object({ bytes: z.number(), imageBytes: z.number() }).optional(),
  error: z.string().optional(),
});
export type FlashJob = z.infer<typeof FlashJobSchema>;


/**
 * Invoke channels, `domain:verb`. The renderer reaches `app:info` as
 * `bramble.app.info({})`; kebab-case verbs become camelCase methods.
 */
export const invokeChannels = {
  'app:info': { request: NoArgs, response: AppInfoSchema },
  'app:notices': { request: NoArgs, response: z.array(NoticeSchema) },
  'settings:get': { request: NoArgs, response: SettingsSchema },
  'settings:update': { request: SettingsPatchSchema, response: SettingsSchema },
  'drives:list': {
    request: z.object({ imagePath: PathString.optional(), showSystem: z.boolean().optional(), showVirtual: z.boolean().optional() }).strict(),
    response: z.object({ drives: z.array(DriveViewSchema) }),
  },
  'drives:eject': { request: z.object({ device: PathString }).strict(), response: z.object({ message: z.string() }) },
  'images:inspect': { request: z.object({ path: PathString }).strict(), response: ImageInfoSchema },
  /** First-boot settings put on a raw image file in place, for flashing with another tool. */
  'boot:customize-image': { request: z.object({ image: PathString, settings: BootSettingsSchema }).strict(), response: FlashJobSchema },
  'boot:profiles': { request: NoArgs, response: z.array(z.object({ name: z.string(), settings: BootSettingsSchema })) },
  'boot:save-profile': { request: z.object({ name: z.string().min(1).max(60), settings: BootSettingsSchema }).strict(), response: z.array(z.object({ name: z.string(), settings: BootSettingsSchema })) },
  'boot:delete-profile': { request: z.object({ name: z.string().max(60) }).strict(), response: z.array(z.object({ name: z.string(), settings: BootSettingsSchema })) },
  'boot:ssh-keys': { request: NoArgs, response: z.array(z.object({ file: z.string(), key: z.string() })) },
  'boot:cluster-key': { request: NoArgs, response: z.object({ file: z.string(), key: z.string() }) },
  /** Turns secrets typed in the form into what is stored and written: never the plain values. */
  'boot:hash-secrets': {
    request: z.object({ password: z.string().max(512).optional(), wifi: z.object({ ssid: z.string().max(64), passphrase: z.string().max(64) }).optional() }).strict(),
    response: z.object({ passwordHash: z.string().optional(), psk: z.string().optional() }),
  },
  /** Opens the system's file dialog (desktop app only); path is absent when the user cancels. */
  'images:pick': { request: NoArgs, response: z.object({ path: z.string().optional() }) },
  'catalogue:list': { request: z.object({ refresh: z.boolean().optional() }).strict(), response: z.object({ url: z.string(), items: z.array(CatalogueItemSchema) }) },
  'flash:start': {
    request: z
      .object({
        image: PathString.optional(),
        catalogue: CatalogueImageSchema.optional(),
        targets: z.array(PathString).min(1).max(32),
        /** System drives the user confirmed, each by its device path. */
        allowSystemDrives: z.array(PathString).max(32).optional(),
        /** First-boot settings for the batch; `names` overrides the pattern card by card. */
        boot: z.object({ settings: BootSettingsSchema, names: z.array(z.string().max(63)).optional() }).strict().optional(),
      })
      .strict()
      .refine((r) => (r.image === undefined) !== (r.catalogue === undefined), 'name either a local image or a catalogue image')
      .refine((r) => new Set(r.targets).size === r.targets.length, 'each target may be chosen once'),
    response: FlashJobSchema,
  },
  'flash:cancel': { request: z.object({ jobId: z.string().max(64) }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'flash:jobs': { request: NoArgs, response: z.array(FlashJobSchema) },

  /** Live state of every node (inventory and flashed-but-unseen). */
  'fleet:states': { request: NoArgs, response: z.array(NodeStateSchema) },
  /** The inventory entries themselves, for editing. */
  'fleet:nodes': { request: NoArgs, response: z.array(FleetNodeSchema) },
  'fleet:add': { request: z.object({ node: FleetNodeSchema, password: z.string().max(512).optional() }).strict(), response: FleetNodeSchema },
  'fleet:update': {
    request: z.object({ name: NodeNameSchema, patch: FleetNodeSchema.partial().strict(), password: z.string().max(512).optional() }).strict(),
    response: FleetNodeSchema,
  },
  'fleet:remove': { request: z.object({ name: NodeNameSchema }).strict(), response: z.object({ removed: z.boolean() }) },
  'fleet:import': { request: z.object({ path: PathString, defaultUser: z.string().max(32).optional() }).strict(), response: ImportResultSchema },
  'fleet:export': { request: z.object({ format: InventoryFormatSchema }).strict(), response: z.object({ text: z.string(), fileName: z.string() }) },
  /** "This node was reflashed": trust the key it now presents, named by the fingerprint the user saw. */
  'fleet:trust': { request: z.object({ name: NodeNameSchema, fingerprint: z.string().max(100) }).strict(), response: NodeStateSchema },
  /** A flashed node not found over mDNS: the user says where it is (a DHCP lease, a router page). */
  'fleet:locate': {
    request: z.object({ name: NodeNameSchema, host: HostAddressSchema }).strict(),
    response: z.object({ joined: z.boolean(), note: z.string().optional() }),
  },
  'fleet:reconnect': { request: z.object({ name: NodeNameSchema }).strict(), response: z.object({}) },
  'fleet:unlock-key': { request: z.object({ path: PathString, passphrase: z.string().max(1024) }).strict(), response: z.object({}) },
  'fleet:run': {
    request: z
      .object({
        nodes: z.array(NodeNameSchema).min(1).max(1000),
        command: z.string().min(1).max(16_384),
        timeoutSeconds: z.number().int().min(1).max(86_400).default(60),
        concurrency: z.number().int().min(1).max(256).default(32),
      })
      .strict(),
    response: z.object({ runId: z.string() }),
  },
  'fleet:cancel-run': { request: z.object({ runId: z.string().max(64) }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'fleet:power': { request: z.object({ name: NodeNameSchema, action: z.enum(['reboot', 'shutdown']) }).strict(), response: z.object({}) },
  /** Each node's latest health sample and active alerts (for the CLI's `power` and the alert centre). */
  'power:overview': {
    request: NoArgs,
    response: z.array(z.object({ name: z.string(), supply: z.string().optional(), telemetry: NodeTelemetrySchema.optional(), alerts: z.array(AlertSchema) })),
  },
  'power:alerts': { request: NoArgs, response: z.array(AlertSchema) },
  'power:acknowledge': { request: z.object({ id: z.string().max(200) }).strict(), response: z.object({ acknowledged: z.boolean() }) },
  /** One node's charts: metrics (raw, then downsampled), its events and episodes. */
  'power:history': {
    request: z.object({ node: NodeNameSchema, from: z.number(), to: z.number() }).strict(),
    response: z.object({ points: z.array(MetricPointSchema), events: z.array(HistoryEventSchema), episodes: z.array(PowerEpisodeSchema) }),
  },
  /** Every node's under-voltage and throttle episodes on one axis, grouped by power supply, with findings. */
  'power:timeline': {
    request: z.object({ from: z.number(), to: z.number() }).strict(),
    response: z.object({
      groups: z.array(z.object({ supply: z.string().nullable(), nodes: z.array(z.string()) })),
      episodes: z.array(PowerEpisodeSchema),
      findings: z.array(SupplyFindingSchema),
    }),
  },
  /** Starts reading a node's journal (or kernel log), following it when asked; entries arrive as logs:entries events. */
  'logs:open': {
    request: z
      .object({
        node: NodeNameSchema,
        kernel: z.boolean().default(false),
        unit: z.string().max(256).optional(),
        /** Show up to this priority (0 emerg … 7 debug). */
        priority: z.number().int().min(0).max(7).optional(),
        lines: z.number().int().min(0).max(1_000_000).default(1000),
        follow: z.boolean().default(true),
        since: z.number().optional(),
      })
      .strict(),
    response: z.object({ streamId: z.string() }),
  },
  'logs:close': { request: z.object({ streamId: z.string().max(64) }).strict(), response: z.object({}) },
  /** The built-in playbooks, plus any file the user has used before. */
  'provision:playbooks': { request: NoArgs, response: z.array(PlaybookInfoSchema) },
  /** Reads a playbook file: its plays and tasks, or why Bramble cannot run it (unsupported modules or keys, named). */
  'provision:inspect': { request: z.object({ path: PathString }).strict(), response: PlaybookInfoSchema },
  'provision:pick': { request: NoArgs, response: z.object({ path: z.string().optional() }) },
  'provision:run': {
    request: z
      .object({
        /** A PlaybookInfo id: `builtin:NAME` or a file path. */
        playbook: z.string().min(1).max(4096),
        nodes: z.array(NodeNameSchema).min(1).max(1000),
        check: z.boolean().default(false),
        engine: ProvisionEngineSchema.default('bramble'),
        tags: z.array(z.string().max(100)).max(50).optional(),
        skipTags: z.array(z.string().max(100)).max(50).optional(),
        extraVars: z.record(z.string().max(100), z.string().max(65_536)).optional(),
        /** For sudo on nodes that ask for one; kept in memory for this run only. */
        becomePassword: z.string().max(1024).optional(),
        forks: z.number().int().min(1).max(256).optional(),
      })
      .strict(),
    response: z.object({ runId: z.string() }),
  },
  'provision:cancel': { request: z.object({ runId: z.string().max(64) }).strict(), response: z.object({ cancelled: z.boolean() }) },
  /** Runs still going, with their events so far: a reloaded window picks them up where they are. */
  'provision:active': { request: NoArgs, response: z.array(ProvisionRunSchema) },
  /** Runs that touched a node, newest first. */
  'provision:history': { request: z.object({ node: NodeNameSchema }).strict(), response: z.array(ProvisionRunSchema) },
  /** Whether ansible-playbook is on PATH, for "Run with Ansible". */
  'provision:ansible': { request: NoArgs, response: z.object({ path: z.string().optional(), version: z.string().optional() }) },
  /** Writes inventory, ansible.cfg and the playbook into a folder Ansible can use as is. */
  'provision:export': {
    request: z.object({ playbook: z.string().min(1).max(4096), nodes: z.array(NodeNameSchema).min(1).max(1000), dir: PathString }).strict(),
    response: z.object({ dir: z.string(), files: z.array(z.string()) }),
  },
  'terminal:open': {
    request: z.object({ node: NodeNameSchema, cols: z.number().int().min(2).max(1000), rows: z.number().int().min(2).max(1000) }).strict(),
    response: z.object({ id: z.string() }),
  },
  'terminal:input': { request: z.object({ id: z.string().max(64), data: z.string().max(65_536) }).strict(), response: z.object({}) },
  'terminal:resize': {
    request: z.object({ id: z.string().max(64), cols: z.number().int().min(2).max(1000), rows: z.number().int().min(2).max(1000) }).strict(),
    response: z.object({}),
  },
  'terminal:close': { request: z.object({ id: z.string().max(64) }).strict(), response: z.object({}) },
} as const;

/** Events the main process pushes, `domain:event`. */
export const eventChannels = {
  'settings:changed': SettingsSchema,
  'app:notice': NoticeSchema,
  'drives:changed': z.object({ count: z.number() }),
  'flash:progress': FlashJobSchema,
  'flash:done': FlashJobSchema,
  'fleet:state': NodeStateSchema,
  'fleet:removed': z.object({ name: z.string() }),
  'fleet:run-output': z.object({ runId: z.string(), node: z.string(), stream: z.enum(['stdout', 'stderr']), chunk: z.string() }),
  'fleet:run-result': z.object({ runId: z.string(), result: NodeRunResultSchema }),
  'fleet:run-done': z.object({ runId: z.string(), results: z.array(NodeRunResultSchema) }),
  'power:sample': TelemetrySampleSchema,
  'power:alert': z.object({ event: z.enum(['raised', 'cleared', 'acknowledged']), alert: AlertSchema }),
  'logs:entries': z.object({ streamId: z.string(), entries: z.array(LogEntrySchema) }),
  'logs:ended': z.object({ streamId: z.string(), reason: z.string() }),
  /** `seq` is the event's index in its run, so a window that fetched the run part way through skips what it already has. */
  'provision:event': z.object({ runId: z.string(), seq: z.number().int().nonnegative(), event: ProvisionEventSchema }),
  'provision:done': ProvisionRunSchema.omit({ events: true }),
  'terminal:data': z.object({ id: z.string(), data: z.string() }),
  'terminal:exit': z.object({ id: z.string(), reason: z.string() }),
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type RequestOf<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
export type ParsedRequestOf<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['response']>;
export type EventPayloadOf<E extends EventChannel> = z.output<(typeof eventChannels)[E]>;

export const invokeChannelNames = Object.keys(invokeChannels) as InvokeChannel[];
export const eventChannelNames = Object.keys(eventChannels) as EventChannel[];

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name);
}
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(eventChannels, name);
}

/** What crosses the wire for every invoke: errors travel as data, not as thrown IPC errors. */
export type Envelope<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ErrorCode; message: string } };

export type ErrorCode = 'bad-request' | 'forbidden' | 'unknown-channel' | 'failed';
