// The renderer shell in real headless Chromium, over the real dev bridge and
// services: navigation, themes that persist, notices, and what a page without
// the bridge token gets. Screenshots land in test/output/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser';
import { startBridgeFixture, type BridgeFixture } from '../support/dev-bridge';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function openApp(fx: BridgeFixture, colorScheme: 'dark' | 'light' = 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(fx.bridge.url);
  await page.getByText(/v\d+\.\d+\.\d+ · dev bridge/).waitFor();
  return page;
}

describe('app shell', () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridgeFixture();
  });
  afterAll(() => fx.close());

  it('navigates between Flash, Fleet and Node, each saying what to do next', async () => {
    const page = await openApp(fx);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Flash');
    await page.getByText('No SD card inserted').waitFor();
    await page.screenshot({ path: screenshotPath('shell-flash-dark') });

    await page.getByRole('button', { name: /Fleet/ }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Fleet');
    await page.getByText('No nodes yet').waitFor();
    expect(await page.getByLabel('Fleet summary').textContent()).toBe('0 online0 offline0 warnings');
    await page.screenshot({ path: screenshotPath('shell-fleet-dark') });

    await page.getByRole('button', { name: /Node/ }).click();
    await page.getByText('No node selected').waitFor();
    await page.getByRole('button', { name: 'Go to Fleet' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Fleet');
    await page.getByRole('button', { name: 'Flash cards for new nodes' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Flash');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect((page as Page & { errors: string[] }).errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    await page.close();
  });

  it('switches to the light theme and keeps it after a reload', async () => {
    const page = await openApp(fx, 'dark');
    await page.getByRole('radio', { name: 'Light theme' }).click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(246, 247, 249)');
    await page.screenshot({ path: screenshotPath('shell-flash-light') });
    expect(fx.services.settings.get().theme).toBe('light');

    await page.reload();
    await page.getByText(/dev bridge/).waitFor();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    expect(await page.getByRole('radio', { name: 'Light theme' }).getAttribute('aria-checked')).toBe('true');
    await page.getByRole('radio', { name: 'System theme' }).click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.close();
  });

  it('shows a plain error, not a blank page, when the bridge refuses the page', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${fx.bridge.port}/?token=wrong`);
    await page.getByRole('status').getByText('The connection to Bramble was lost; reload the page.').waitFor();
    await page.close();
  });
});

describe('a damaged settings file', () => {
  it('is reported to the user in the window, with what was kept', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bramble-e2e-corrupt-'));
    writeFileSync(path.join(dataDir, 'settings.json'), '{ not json');
    const fx = await startBridgeFixture({ dataDir });
    try {
      const page = await openApp(fx);
      const notice = page.getByRole('status');
      await notice.getByText(/settings\.json was damaged \(it is not valid JSON\)/).waitFor();
      await page.screenshot({ path: screenshotPath('shell-notice-corrupt-settings') });
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await expect(notice.count()).resolves.toBe(0);
      await page.close();
    } finally {
      await fx.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
