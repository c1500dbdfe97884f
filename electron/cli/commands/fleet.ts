// `bramble fleet …`: the inventory from the command line, and the reflash action.
import { readFileSync } from 'node:fs';
import { FleetNodeSchema, InventoryFormatSchema, type FleetNode } from '../../../shared/fleet';
import { createServices, type Services } from '../../services';
import { UserError } from '../../services/user-error';
import { UsageError, type Command, type CommandContext } from '../command';
import { stateTable } from '../fleet-text';
import { singleNodeFleet } from '../one-node';

const USAGE = [
  'bramble fleet add NAME --host H [--port P] --user U [--key FILE] [--group G ...] [--supply S] [--accept-new]',
  'bramble fleet list | remove NAME | import FILE [--user U] | export [--format ansible-yaml|ansible-ini|dnsmasq|dhcpd]',
  'bramble fleet trust NAME [--fingerprint SHA256:...]',
].join('\n       ');

export const fleetCommand: Command = {
  name: 'fleet',
  summary: 'Add, list, remove, import and export nodes; trust a reflashed node',
  usage: USAGE,
  allowPositionals: true,
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    user: { type: 'string' },
    key: { type: 'string' },
    group: { type: 'string', multiple: true },
    supply: { type: 'string' },
    'accept-new': { type: 'boolean' },
    format: { type: 'string' },
    fingerprint: { type: 'string' },
  },
  async run(ctx, values, positionals) {
    const [sub, ...args] = positionals;
    const services = createServices({ dataDir: ctx.dataDir, transport: 'electron' });
    try {
      switch (sub) {
        case 'add':
          return await add(ctx, services, values, one(args, 'fleet add NAME'));
        case 'list':
          ctx.print({ nodes: services.inventory.list() }, () => nodeList(services.inventory.list()));
          return 0;
        case 'remove': {
          const name = one(args, 'fleet remove NAME');
          if (!(await services.inventory.remove(name))) throw new UserError(`There is no node called ${name} in the fleet.`);
          ctx.print({ removed: name }, () => `Removed ${name}.`);
          return 0;
        }
        case 'import': {
          const result = await services.importInventory(one(args, 'fleet import FILE'), values.user as string | undefined);
          ctx.print(result, () =>
            [
              `Added ${result.added.length}${result.added.length ? `: ${result.added.join(', ')}` : ''}.`,
              `Updated ${result.updated.length}${result.updated.length ? `: ${result.updated.join(', ')}` : ''}.`,
              ...result.renamed.map((r) => `Imported ${r.entry} as ${r.name}: ${r.reason}`),
              ...result.skipped.map((s) => `Skipped ${s.entry}: ${s.reason}`),
            ].join('\n'),
          );
          return 0;
        }
        case 'export': {
          const format = InventoryFormatSchema.safeParse(values.format ?? 'ansible-yaml');
          if (!format.success) throw new UsageError('--format is one of ansible-yaml, ansible-ini, dnsmasq, dhcpd.');
          const out = services.exportInventory(format.data);
          if (ctx.json) ctx.print(out, () => '');
          else ctx.stdout(out.text.endsWith('\n') ? out.text : `${out.text}\n`);
          return 0;
        }
        case 'trust':
          return await trust(ctx, services, one(args, 'fleet trust NAME'), values.fingerprint as string | undefined);
        default:
          throw new UsageError(sub ? `fleet has no subcommand "${sub}"; usage: ${USAGE}` : `usage: ${USAGE}`);
      }
    } finally {
      await services.dispose();
    }
  },
};

function one(args: string[], usage: string): string {
  if (args.length !== 1) throw new UsageError(`usage: bramble ${usage}`);
  return args[0]!;
}

async function add(ctx: CommandContext, services: Services, values: Record<string, unknown>, name: string): Promise<number> {
  if (!values.host) throw new UsageError('Name the node\'s address with --host.');
  if (!values.user) throw new UsageError('Name the user to log in as with --user.');
  const port = values.port === undefined ? 22 : Number(values.port);
  const parsed = FleetNodeSchema.safeParse({
    name,
    host: values.host,
    port,
    user: values.user,
    auth: values.key ? { kind: 'key', path: values.key } : { kind: 'agent' },
    groups: (values.group as string[] | undefined) ?? [],
    supply: values.supply,
    vars: {},
  });
  if (!parsed.success) throw new UserError(`That node cannot be added: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}.`);
  if (values.key) readable(values.key as string);
  const node = await services.inventory.add(parsed.data);
  // First contact now, so the user learns at once whether the node answers and which key it has.
  const state = await probe(services, node, values['accept-new'] === true);
  ctx.print({ node, state }, () => `Added ${node.name} (${node.user}@${node.host}:${node.port}).\n${stateTable([state])}`);
  if (state.status === 'host-key-unknown') ctx.stderr(`bramble: ${name} presents ${state.presentedFingerprint}; check it, then run \`bramble fleet trust ${name} --fingerprint ${state.presentedFingerprint}\` (or add with --accept-new).\n`);
  return 0;
}

async function trust(ctx: CommandContext, services: Services, name: string, fingerprint: string | undefined): Promise<number> {
  const node = services.inventory.get(name);
  if (!node) throw new UserError(`There is no node called ${name} in the fleet.`);
  const fleet = singleNodeFleet(services, node, false);
  try {
    const [state] = await fleet.settled([name]);
    if (state!.status === 'online') {
      ctx.print({ state }, () => `${name} already presents the key Bramble knows; nothing to trust.`);
      return 0;
    }
    if (!state!.presentedFingerprint) throw new UserError(`${name} is ${state!.status} (${state!.detail ?? 'no detail'}); it must answer before its key can be trusted.`);
    const trusted = await fleet.trust(name, fingerprint ?? state!.presentedFingerprint);
    const [after] = await fleet.settled([name]);
    ctx.print({ trusted: state!.presentedFingerprint, state: after ?? trusted }, () => `Trusted ${state!.presentedFingerprint} for ${name}.\n${stateTable([after ?? trusted])}`);
    return after?.status === 'online' ? 0 : 1;
  } finally {
    fleet.stop();
  }
}

async function probe(services: Services, node: FleetNode, acceptNew: boolean) {
  const fleet = singleNodeFleet(services, node, acceptNew);
  try {
    const [state] = await fleet.settled([node.name]);
    return state!;
  } finally {
    fleet.stop();
  }
}

function readable(file: string): void {
  try {
    readFileSync(file);
  } catch (e) {
    throw new UserError(`Cannot read the key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

function nodeList(nodes: FleetNode[]): string {
  if (nodes.length === 0) return 'The fleet is empty.';
  return nodes
    .map((n) => {
      const auth = n.auth.kind === 'key' ? `key ${n.auth.path}` : n.auth.kind;
      return `${n.name}  ${n.user}@${n.host}${n.port === 22 ? '' : `:${n.port}`}  ${auth}${n.groups.length ? `  groups: ${n.groups.join(',')}` : ''}${n.supply ? `  supply: ${n.supply}` : ''}`;
    })
    .join('\n');
}
