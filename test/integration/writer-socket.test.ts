// The channel an elevated writer uses on macOS and Windows: started through a
// prompt that detaches its stdio, it connects back to a socket and proves
// itself with a one-time token. The prompts cannot run here (the platform
// edge); the socket, the token check and the real writer process can.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { defaultWriterCommand, startWriter } from '../../electron/services/flash/writer-client';
import { jobSha256 } from '../../electron/services/flash/writer/protocol';
import { ensureFixture, type Fixture } from '../fixtures/build-image';

let fx: Fixture;
let dir: string;

beforeAll(async () => {
  fx = await ensureFixture({ generation: 'bookworm', sizeMiB: 256 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-writer-socket-'));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the writer over a socket', () => {
  it('writes and verifies a card, with progress, talking over the socket it connected back to', async () => {
    const out = path.join(dir, 'card.img');
    const phases = new Set<string>();
    const handle = startWriter({ image: fx.xz, targets: [out] }, { viaSocket: true, onProgress: (t) => phases.add(t[0]!.phase) });
    const result = await handle.result;
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.targets[0]).toMatchObject({ phase: 'done', ok: true });
    expect(phases.has('writing')).toBe(true);
    expect(sha(out)).toBe(sha(fx.img));
  });

  it('drops a process that connects without the token, and runs no job for it', async () => {
    // Stands in for whatever else might reach the socket: it knows the path but not the token.
    const impostor = path.join(dir, 'impostor.cjs');
    writeFileSync(
      impostor,
      `const net = require('node:net');
       const i = process.argv.indexOf('--connect');
       const s = net.connect(process.argv[i + 1], () => s.write(JSON.stringify({ type: 'ready', pid: process.pid, token: 'guess' }) + '\\n'));
       let got = '';
       s.on('data', (d) => (got += d));
       s.on('close', () => { process.stderr.write(got.includes('"start"') ? 'Error: was sent the job' : 'Error: dropped without a job'); process.exit(3); });`,
    );
    const handle = startWriter({ image: fx.xz, targets: [path.join(dir, 'never.img')] }, { viaSocket: true, command: { runtime: process.execPath, script: impostor } });
    await expect(handle.result).rejects.toThrow(/stopped unexpectedly \(exit 3\): Error: dropped without a job/);
  });

  it('refuses a job other than the one it was started for, whoever sends it (something that took the socket’s place)', async () => {
    const sock = path.join(dir, 'taken.sock');
    const asked = { image: fx.xz, targets: [path.join(dir, 'asked.img')] };
    const other = { image: fx.xz, targets: [path.join(dir, 'other.img')] };
    const messages: { type: string; result?: { ok: boolean; error?: string } }[] = [];
    const server = createServer((socket) => {
      createInterface({ input: socket }).on('line', (line) => {
        const m = JSON.parse(line) as { type: string; result?: { ok: boolean; error?: string } };
        messages.push(m);
        if (m.type === 'ready') socket.write(`${JSON.stringify({ type: 'start', job: other })}\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    const writer = spawn(process.execPath, [defaultWriterCommand().script, '--connect', sock, '--token', 't', '--job-sha256', jobSha256(asked)], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => writer.on('close', resolve));
    server.close();
    expect(code).toBe(0);
    expect(messages.find((m) => m.type === 'result')?.result).toMatchObject({ ok: false, error: expect.stringMatching(/refused a job other than the one it was started for; nothing was written/) });
    expect(existsSync(other.targets[0]!)).toBe(false);
  });

  it('will not connect anywhere without the digest of the job it is to run', async () => {
    const writer = spawn(process.execPath, [defaultWriterCommand().script, '--connect', path.join(dir, 'nowhere.sock'), '--token', 't'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    writer.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => writer.on('close', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/--connect needs --job-sha256/);
  });

  it('a cancel before the prompt appears shows no prompt and writes nothing', async () => {
    // The launcher here stands in for the prompt; it must never start.
    const marker = path.join(dir, 'prompt-shown');
    const launcher = path.join(dir, 'launcher.cjs');
    writeFileSync(launcher, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'shown');`);
    const handle = startWriter({ image: fx.xz, targets: [path.join(dir, 'cancelled.img')] }, { viaSocket: true, command: { runtime: process.execPath, script: launcher } });
    handle.cancel();
    await expect(handle.result).rejects.toThrow(/cancelled before it started/);
    expect(existsSync(marker)).toBe(false);
    expect(handle.pid).toBeUndefined();
  });
});

