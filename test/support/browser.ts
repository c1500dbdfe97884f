// Headless Chromium from Debian, driven by playwright-core. The flags keep it
// off the network (this machine has none) and make it start cleanly as root.
import { chromium, type Browser } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM = process.env.BRAMBLE_CHROMIUM ?? '/usr/bin/chromium';
export const OUTPUT_DIR = path.resolve('test/output');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}; install the Debian package chromium (see README).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Where screenshots go: test/output/<name>.png (kept by CI as artefacts, ignored by git). */
export function screenshotPath(name: string): string {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return path.join(OUTPUT_DIR, `${name}.png`);
}
