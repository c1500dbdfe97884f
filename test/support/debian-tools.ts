// cloud-init's schema checker and netplan's generator, unpacked from Debian's
// own packages into test/.cache (never installed: cloud-init's postinst would
// enable boot-time units on this machine). Run with Debian's /usr/bin/python3.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const DIR = path.resolve('test/.cache/debian-tools');
const ROOT = path.join(DIR, 'root');
const PACKAGES = [
  'cloud-init', 'netplan.io', 'libnetplan0',
  'python3-jsonschema', 'python3-attr', 'python3-pyrsistent', 'python3-configobj', 'python3-jinja2', 'python3-markupsafe',
  'python3-yaml', 'python3-six', 'python3-requests', 'python3-urllib3', 'python3-idna', 'python3-certifi',
  'python3-charset-normalizer', 'python3-chardet', 'python3-netifaces', 'python3-jsonpatch', 'python3-json-pointer', 'python3-oauthlib',
];

export function ensureDebianTools(): { cloudInitSchema(file: string): { ok: boolean; output: string }; netplanGenerate(rootDir: string): { ok: boolean; output: string } } {
  if (!existsSync(path.join(ROOT, 'usr/bin/cloud-init'))) {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    const download = () => spawnSync('apt-get', ['download', ...PACKAGES], { cwd: DIR, encoding: 'utf8' });
    let r = download();
    if (r.status !== 0) {
      execFileSync('apt-get', ['update', '-qq']);
      r = download();
    }
    if (r.status !== 0) throw new Error(`apt-get download failed: ${r.stderr}`);
    for (const deb of readdirSync(DIR).filter((f) => f.endsWith('.deb'))) execFileSync('dpkg-deb', ['-x', path.join(DIR, deb), ROOT]);
    const lib = path.join(ROOT, 'usr/lib/x86_64-linux-gnu');
    const so = readdirSync(lib).find((f) => /^libnetplan\.so\.0\.\d/.test(f));
    if (so && !existsSync(path.join(lib, 'libnetplan.so.0'))) symlinkSync(so, path.join(lib, 'libnetplan.so.0'));
  }
  return {
    cloudInitSchema(file) {
      const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'usr/bin/cloud-init'), 'schema', '--config-file', file], {
        env: { ...process.env, PYTHONPATH: path.join(ROOT, 'usr/lib/python3/dist-packages') },
        encoding: 'utf8',
      });
      return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
    },
    netplanGenerate(rootDir) {
      const r = spawnSync(path.join(ROOT, 'usr/libexec/netplan/generate'), ['--root-dir', rootDir], {
        env: { ...process.env, LD_LIBRARY_PATH: path.join(ROOT, 'usr/lib/x86_64-linux-gnu') },
        encoding: 'utf8',
      });
      return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
    },
  };
}
