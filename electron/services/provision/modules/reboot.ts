// reboot: ask the node to restart, then wait until it answers again from a new
// boot (its boot id differs) and the test command succeeds.
import { z } from 'zod';
import { ExecError } from '../../ssh/remote-exec';
import { ModuleFailure, type ModuleContext, type ModuleDef } from './types';

const args = z
  .object({
    reboot_timeout: z.coerce.number().positive().default(600),
    connect_timeout: z.coerce.number().positive().default(10),
    pre_reboot_delay: z.coerce.number().min(0).default(0),
    post_reboot_delay: z.coerce.number().min(0).default(0),
    test_command: z.string().default('whoami'),
    msg: z.string().default('Reboot initiated by Bramble'),
  })
  .strict();

// Both boot ids: systemd's (hostnamectl) and the kernel's. Either changes when the node has restarted.
const BOOT_MARKER = "hostnamectl status 2>/dev/null | sed -n 's/^ *Boot ID: *//p'; cat /proc/sys/kernel/random/boot_id 2>/dev/null; exit 0";

async function bootMarker(ctx: ModuleContext, timeoutMs: number): Promise<string> {
  const r = await ctx.run(['sh', '-c', BOOT_MARKER], { noBecome: true, timeoutMs });
  return r.stdout.trim();
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export const reboot: ModuleDef<typeof args> = {
  name: 'reboot',
  aliases: ['ansible.builtin.reboot', 'ansible.legacy.reboot'],
  args,
  async run(ctx, a) {
    if (ctx.check) return { changed: true, rebooted: false, msg: 'would reboot' };
    const started = Date.now();
    const before = await bootMarker(ctx, a.connect_timeout * 1000);
    const minutes = Math.floor(a.pre_reboot_delay / 60);
    try {
      const r = await ctx.run(['shutdown', '-r', minutes > 0 ? `+${minutes}` : 'now', a.msg], { timeoutMs: a.connect_timeout * 1000 });
      if (r.code !== 0) throw new ModuleFailure(`reboot command failed: ${(r.stderr || r.stdout).trim()}`, { rc: r.code, stderr: r.stderr });
    } catch (e) {
      // The connection may drop before the command reports back: that is the reboot happening.
      if (!(e instanceof ExecError)) throw e;
    }
    const deadline = started + a.reboot_timeout * 1000;
    let lastError = '';
    while (Date.now() < deadline) {
      if (ctx.signal?.aborted) throw new ModuleFailure('cancelled while waiting for the node to come back');
      await sleep(500, ctx.signal);
      try {
        await ctx.reconnect(a.connect_timeout * 1000);
        const now = await bootMarker(ctx, a.connect_timeout * 1000);
        if (now && now !== before) {
          const t = await ctx.run(['sh', '-c', a.test_command], { noBecome: true, timeoutMs: a.connect_timeout * 1000 });
          if (t.code !== 0) {
            lastError = `test command failed: ${t.stderr.trim()}`;
            continue;
          }
          if (a.post_reboot_delay) await sleep(a.post_reboot_delay * 1000, ctx.signal);
          return { changed: true, rebooted: true, elapsed: Math.round((Date.now() - started) / 1000) };
        }
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e);
      }
    }
    throw new ModuleFailure(`Timed out waiting for the node to come back after ${a.reboot_timeout} s${lastError ? ` (${lastError})` : ''}`, { rebooted: false });
  },
};
