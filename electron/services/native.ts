// Loads native addons with `require`, the one loader that understands .node
// files, from both the ESM sources (tests) and the CommonJS bundles (the app).
import { createRequire } from 'node:module';

export const requireNative = createRequire(import.meta.url);
