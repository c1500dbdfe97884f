// `bramble customize` as a user runs it, on a copy of a fixture image: settings
// land on the boot partition, secrets come only from the environment, and
// hostile input is refused with one sentence.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixture, type Fixture } from '../fixtures/build-image';

let fx: Fixture;
let dir: string;
const bin = path.resolve('dist/cli/bramble.cjs');

beforeAll(async () => {
  fx = await ensureFixture({ generation: 'bookworm', sizeMiB: 256 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-cust-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ann@laptop', '-f', path.join(dir, 'id')]);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bramble(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input: '', env: { ...process.env, BRAMBLE_HOME: path.join(dir, 'home'), ...env } });
}

describe('bramble customize', () => {
  it('puts firstrun.sh on a raw image in place and records the node', () => {
    const img = path.join(dir, 'edge.img');
    copyFileSync(fx.img, img);
    const r = bramble(['customize', '--image', img, '--hostname', 'edge-1', '--user', 'ann', '--ssh-key', path.join(dir, 'id.pub'), '--wifi-ssid', 'Lab', '--wifi-country', 'DE', '--json'], { BRAMBLE_WIFI_PASSPHRASE: 'correct horse' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const job = JSON.parse(r.stdout);
    expect(job.cards[0]).toMatchObject({ hostname: 'edge-1', format: 'firstrun' });
    const script = execFileSync('mtype', ['-i', `${img}@@${fx.bootOffset}`, '::/firstrun.sh'], { encoding: 'utf8' });
    expect(script).toContain('set_hostname edge-1');
    expect(script).toContain(readFileSync(path.join(dir, 'id.pub'), 'utf8').trim());
    expect(script).not.toContain('correct horse');
    expect(readFileSync(path.join(dir, 'home', 'known_hosts'), 'utf8')).toMatch(/^edge-1,edge-1\.local ssh-ed25519 /m);
    const part = path.join(dir, 'boot.part');
    execFileSync('dd', [`if=${img}`, `of=${part}`, 'bs=4096', `skip=${fx.bootOffset / 4096}`, `count=${fx.bootSize / 4096}`, 'status=none']);
    expect(spawnSync('fsck.vfat', ['-n', part]).status).toBe(0);
  });

  it('refuses a hostile hostname and a Wi-Fi network without its passphrase, in one sentence each', () => {
    const img = path.join(dir, 'bad.img');
    copyFileSync(fx.img, img);
    const key = ['--ssh-key', path.join(dir, 'id.pub')];
    const bad = bramble(['customize', '--image', img, '--hostname', 'x$(reboot)', ...key]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('bramble: "x$(reboot)" is not a usable hostname: a hostname uses only letters, digits and hyphens, and does not start or end with a hyphen.\n');
    const nopass = bramble(['customize', '--image', img, '--hostname', 'ok', '--wifi-ssid', 'Lab', '--wifi-country', 'DE', ...key]);
    expect(nopass.status).toBe(1);
    expect(nopass.stderr).toMatch(/^bramble: Set BRAMBLE_WIFI_PASSPHRASE/);
  });
});
