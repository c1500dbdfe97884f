// Starts the real dev bridge in the test process, serving the built renderer
// over the real services with a throwaway data folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevBridge, type DevBridge } from '../../electron/dev-bridge/server';
import { createHandlers } from '../../electron/handlers';
import { createServices, type Services } from '../../electron/services';
import { LOOPBACK_MDNS } from './mdns';
import type { Browser, Page } from 'playwright-core';
import type { FakeNode, Fleet } from '../fleet/fleet.js';

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

/** Fake nodes as if flashed and trusted before: their host keys known, then their inventory entries. */
export async function joinFleet(bridge: BridgeFixture, fleet: Fleet, extra: (n: FakeNode) => { groups?: string[]; supply?: string } = () => ({})): Promise<void> {
  for (const n of fleet.nodes) {
    await bridge.services.knownHosts.set([n.name, n.host], n.hostKeyPublic);
    const { groups = [], supply } = extra(n);
    await bridge.services.inventory.add({ name: n.name, host: n.host, port: 22, user: n.user, auth: { kind: 'key', path: fleet.clientKeyPath }, groups, supply, vars: {} });
  }
}

/** A page on the bridge that records CSP refusals and uncaught errors, for tests to assert none happened. */
export async function openWatchedPage(browser: Browser): Promise<{ page: Page; cspViolations: string[]; pageErrors: string[] }> {
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { page, cspViolations, pageErrors };
}
