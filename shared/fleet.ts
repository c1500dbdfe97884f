// The fleet's vocabulary, shared by services, CLI and UI: what a node is in the
// inventory, and the live state the fleet service reports for it.
import { z } from 'zod';

/** RFC 1123 label: what a Pi's hostname and an inventory name must be. */
export const NodeNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i, 'letters, digits and inner hyphens only (an RFC 1123 host label)');

/** A host name or IP literal; no spaces, shell or option characters. */
export const HostAddressSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.:%_-]*[A-Za-z0-9.])?$/, 'a host name or IP address');

export const UserNameSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z_][a-z0-9_-]*\$?$/, 'a Unix user name (lower case letters, digits, _ and -)');

export const GroupNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'letters, digits, _ and - (an Ansible group name)');

/**
 * How Bramble authenticates: the user's ssh-agent, a key file (its passphrase
 * is asked for and kept only in memory), or a password the user opted in to,
 * kept encrypted with the OS keychain (never in the inventory file).
 */
export const NodeAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent') }).strict(),
  z.object({ kind: z.literal('key'), path: z.string().min(1).max(4096) }).strict(),
  z.object({ kind: z.literal('password') }).strict(),
]);
export type NodeAuth = z.infer<typeof NodeAuthSchema>;

export const FleetNodeSchema = z
  .object({
    name: NodeNameSchema,
    host: HostAddressSchema,
    port: z.number().int().min(1).max(65535).default(22),
    user: UserNameSchema,
    auth: NodeAuthSchema,
    groups: z.array(GroupNameSchema).max(64).default([]),
    /** The charger or hub that feeds this board, for power correlation. */
    supply: z.string().max(64).optional(),
    /** Learned from the node over SSH. */
    mac: z
      .string()
      .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)
      .optional(),
    /** Ansible host vars carried through import/export. */
    vars: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type FleetNode = z.infer<typeof FleetNodeSchema>;
export type FleetNodeInput = z.input<typeof FleetNodeSchema>;

export const NodeStatusSchema = z.enum(['pending', 'connecting', 'online', 'offline', 'auth-failed', 'host-key-unknown', 'host-key-mismatch']);
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

/** A quick look at a node, refreshed while it is online. */
export const NodeVitalsSchema = z.object({
  uptimeSeconds: z.number(),
  load1: z.number(),
  memTotalKiB: z.number(),
  memAvailableKiB: z.number(),
  tempC: z.number().nullable(),
  throttled: z.number().nullable(),
  at: z.number(),
});
export type NodeVitals = z.infer<typeof NodeVitalsSchema>;

export const NodeStateSchema = z.object({
  name: z.string(),
  status: NodeStatusSchema,
  /** Human sentence for the status (why offline, what failed). */
  detail: z.string().optional(),
  address: z.string().optional(),
  since: z.number(),
  /** Something the user asked for is under way: the node is expected to be down for a while. */
  activity: z.enum(['rebooting']).optional(),
  /** For host-key-unknown/mismatch: the key the node presented. */
  presentedFingerprint: z.string().optional(),
  vitals: NodeVitalsSchema.optional(),
});
export type NodeState = z.infer<typeof NodeStateSchema>;

export const NodeRunResultSchema = z.object({
  node: z.string(),
  status: z.enum(['ok', 'failed', 'timeout', 'lost', 'offline', 'cancelled']),
  code: z.number().nullable(),
  durationMs: z.number(),
  stdout: z.string(),
  stderr: z.string(),
  error: z.string().optional(),
});
export type NodeRunResultView = z.infer<typeof NodeRunResultSchema>;

export const InventoryFormatSchema = z.enum(['ansible-yaml', 'ansible-ini', 'dnsmasq', 'dhcpd']);
export type InventoryFormat = z.infer<typeof InventoryFormatSchema>;

export const ImportResultSchema = z.object({
  added: z.array(z.string()),
  updated: z.array(z.string()),
  /** Entries whose name was not a usable node name, imported under one derived from it. */
  renamed: z.array(z.object({ entry: z.string(), name: z.string(), reason: z.string() })).default([]),
  skipped: z.array(z.object({ entry: z.string(), reason: z.string() })),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;
