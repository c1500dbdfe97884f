// The built `bramble` bin, run as a user runs it after `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const bin = path.resolve(pkg.bin.bramble);

describe('the bramble bin', () => {
  it('is built, executable, and runs with node', () => {
    expect(existsSync(bin), 'run npm run build first').toBe(true);
    const r = spawnSync(bin, ['version', '--json'], { env: { ...process.env, BRAMBLE_HOME: '/tmp/bramble-bin-test' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: pkg.version, dataDir: '/tmp/bramble-bin-test' });
  });
  it('exits non-zero with one sentence on stderr for an unknown command', () => {
    const r = spawnSync('node', [bin, 'nope'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
