// Starts the real dev bridge in the test process, serving the built renderer
// over the real services with a throwaway data folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevBridge, type DevBridge } from '../../electron/dev-bridge/server';
import { createHandlers } from '../../electron/handlers';
import { createServices, type Services } from '../../electron/services';
import { LOOPBACK_MDNS } from './mdns';

export const RENDERER_DIR = path.resolve('dist/renderer');

export interface BridgeFixture {
  bridge: DevBridge;
  services: Services;
  dataDir: string;
  close(): Promise<void>;
}

/** `connectFleet` starts the fleet's connections and discovery (mDNS on loopback only), as the app does. */
export async function startBridgeFixture(options: { dataDir?: string; connectFleet?: boolean } = {}): Promise<BridgeFixture> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build` before the e2e tests (npm test does).');
  }
  const ownsDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'bramble-e2e-'));
  const services = createServices({ dataDir, transport: 'dev-bridge', connectFleet: options.connectFleet, mdns: LOOPBACK_MDNS });
  const bridge = await startDevBridge({ rendererDir: RENDERER_DIR, handlers: createHandlers(services), hub: services.hub });
  return {
    bridge,
    services,
    dataDir,
    async close() {
      await bridge.close();
      await services.dispose();
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
