// The `bramble` command's conventions, run in-process: --help, version, --json,
// one-sentence errors on stderr and non-zero exits.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run-cli';
import pkg from '../../package.json' with { type: 'json' };

async function run(args: string[], env: NodeJS.ProcessEnv = { BRAMBLE_HOME: '/tmp/bramble-cli-test' }) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe('bramble CLI', () => {
  it('lists its commands with --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: bramble <command>/);
    expect(r.stdout).toMatch(/version\s+Print Bramble's version/);
    expect(r.stderr).toBe('');
  });
  it('prints usage and fails when called with nothing', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Usage:/);
  });
  it('prints the version, as text and as JSON with the data folder', async () => {
    expect((await run(['version'])).stdout).toContain(`bramble ${pkg.version}`);
    const r = await run(['version', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'bramble', version: pkg.version, dataDir: '/tmp/bramble-cli-test' });
  });
  it('explains an unknown command or option in one sentence on stderr', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('bramble: There is no command called "frobnicate"; run bramble --help for the list.\n');
    const badOption = await run(['version', '--frob']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/^bramble: Unknown option '--frob'; usage: bramble version \[--json\]\n$/);
  });
  it('shows help for one command', async () => {
    for (const args of [['help', 'version'], ['version', '--help']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: bramble version');
    }
  });
});
