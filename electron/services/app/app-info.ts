// What the About box and bug reports need: version, platform, data folder, runtime versions.
import type { AppInfo } from '../../../shared/contract';
import pkg from '../../../package.json' with { type: 'json' };

export function appInfo(dataDir: string, transport: AppInfo['transport']): AppInfo {
  const versions: Record<string, string> = {};
  for (const key of ['node', 'electron', 'chrome', 'v8'] as const) {
    const v = process.versions[key];
    if (v) versions[key] = v;
  }
  return {
    name: 'Bramble',
    version: pkg.version,
    platform: process.platform,
    arch: process.arch,
    dataDir,
    transport,
    versions,
  };
}
