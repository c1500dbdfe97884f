// `npm run dev:web`: the real services in plain Node, the built renderer served
// on 127.0.0.1, and the URL (with its one-time token) printed for a browser.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { createHandlers } from '../handlers';
import { resolveDataDir } from '../services/app/data-dir';
import { createServices } from '../services';
import { startDevBridge } from './server';

async function main(): Promise<void> {
  const rendererDir = path.join(__dirname, '..', 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (no ${rendererDir}/index.html); run npm run build first.`);
  }
  const portArg = process.env.BRAMBLE_DEV_PORT ? Number(process.env.BRAMBLE_DEV_PORT) : undefined;
  const services = createServices({ dataDir: resolveDataDir(), transport: 'dev-bridge', watchDrives: true, connectFleet: true });
  const bridge = await startDevBridge({
    rendererDir,
    handlers: createHandlers(services),
    hub: services.hub,
    port: portArg,
    logError: (channel, error) => console.error(`[bridge] ${channel}:`, error),
  });
  console.log(`Bramble dev bridge (data: ${services.dataDir})`);
  console.log(`Open ${bridge.url}`);
  const stop = () => {
    void bridge.close().then(() => services.dispose()).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
