// Builds the Node-side bundles without the Electron binary: main process,
// sandboxed preload (a single self-contained CommonJS file, as sandboxed
// preloads must be), the `bramble` CLI and the dev bridge. Dependencies stay
// external (native addons load from node_modules); the preload bundles its own.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';

// Sources are ESM and use import.meta.url (e.g. to require native addons);
// in the CommonJS bundles it becomes the bundle file's own URL.
const importMetaShim = {
  define: { 'import.meta.url': '__bramble_import_meta_url' },
  banner: { js: "const __bramble_import_meta_url = require('url').pathToFileURL(__filename).href;" },
};

// zod is bundled (not loaded from node_modules) where start-up time matters:
// one file evaluates ~50 ms faster than its module graph.
const bundleZod = { packages: undefined, external: ['electron', 'drivelist', 'ssh2', 'etcher-sdk', 'mountutils', 'xxhash-addon', '@ronomon/direct-io', 'ws', 'yauzl', 'write-file-atomic', 'fast-xml-parser', 'better-sqlite3'] };

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  outExtension: { '.js': '.cjs' },
};

await Promise.all([
  build({ ...common, ...importMetaShim, entryPoints: { main: 'electron/main.ts' }, outdir: 'dist/main', packages: 'external' }),
  build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outdir: 'dist/main', external: ['electron'], target: 'chrome130', platform: 'browser', minify: true }),
  build({ ...common, ...importMetaShim, entryPoints: { bramble: 'electron/cli/bramble.ts' }, outdir: 'dist/cli', ...bundleZod, banner: { js: `#!/usr/bin/env node\n${importMetaShim.banner.js}` } }),
  build({ ...common, ...importMetaShim, entryPoints: { writer: 'electron/services/flash/writer/main.ts' }, outdir: 'dist/writer', ...bundleZod }),
  build({ ...common, ...importMetaShim, entryPoints: { server: 'electron/dev-bridge/main.ts' }, outdir: 'dist/dev-bridge', packages: 'external' }),
]);
await chmod('dist/cli/bramble.cjs', 0o755);
