// Power and logs in Chromium over the dev bridge, against 4 fake nodes: three
// on supply "hub-a", one on "hub-b". A node reporting under-voltage raises a
// critical alert in the alert centre within seconds; its Power tab shows the
// state and a chart; three boards sagging together put a finding naming hub-a
// above the fleet's power timeline; and the Logs tab follows a journal,
// filters it by unit and regex, and highlights a kernel under-voltage line.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../fleet/fleet.js';
import { launchBrowser, screenshotPath } from '../support/browser';
import { joinFleet, openWatchedPage, startBridgeFixture, type BridgeFixture } from '../support/dev-bridge';

let fleet: Fleet;
let bridge: BridgeFixture;
let browser: Browser;
let page: Page;
let cspViolations: string[];
let pageErrors: string[];

const SUPPLY: Record<string, string> = { 'node-01': 'hub-a', 'node-02': 'hub-a', 'node-03': 'hub-a', 'node-04': 'hub-b' };
const UV_NOW = 0x50005;
const UV_PAST = 0x50000;

beforeAll(async () => {
  fleet = await startFleet({ nodes: 4 });
  bridge = await startBridgeFixture({ connectFleet: true });
  await joinFleet(bridge, fleet, (n) => ({ supply: SUPPLY[n.name] }));
  browser = await launchBrowser();
  ({ page, cspViolations, pageErrors } = await openWatchedPage(browser));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  await fleet?.stop();
});

const bell = () => page.locator('.bell');
const alertPanel = () => page.getByRole('dialog', { name: 'Alerts' });

async function openAlerts(): Promise<void> {
  if ((await bell().getAttribute('aria-expanded')) !== 'true') await bell().click();
  await alertPanel().waitFor();
}

describe('power and logs', () => {
  it('polls every second once the setting says so, and offers the Prometheus URL', async () => {
    await page.goto(bridge.bridge.url);
    await page.getByRole('button', { name: /Fleet/ }).click();
    for (const n of fleet.nodes) await page.locator(`li.tile[data-node="${n.name}"][data-status="online"]`).waitFor({ timeout: 30_000 });
    await openAlerts();
    await alertPanel().getByRole('button', { name: 'Monitoring settings' }).click();
    const form = page.getByRole('form', { name: 'Power monitoring settings' });
    await form.getByLabel('Read each node every').fill('1');
    await form.getByLabel('Read each node every').press('Enter');
    await expect.poll(() => bridge.services.settings.get().telemetryIntervalSeconds).toBe(1);
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    await form.getByLabel('Port').fill(port);
    await form.getByLabel('Port').press('Enter');
    await form.getByLabel('Prometheus metrics endpoint').check();
    await form.getByText(`http://127.0.0.1:${port}/metrics`).waitFor();
    await form.getByLabel('Prometheus metrics endpoint').uncheck();
    await alertPanel().getByRole('button', { name: 'Monitoring settings' }).click();
  });

  it('raises a critical under-voltage alert for node-01 within seconds, and acknowledges it', async () => {
    const started = Date.now();
    await fleet.node('node-01').setThrottled(UV_NOW);
    await openAlerts();
    const item = alertPanel().locator('.alert-item[data-node="node-01"][data-kind="under-voltage-now"]');
    await item.waitFor({ timeout: 8_000 });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(await item.getAttribute('data-severity')).toBe('critical');
    await expect(item.textContent()).resolves.toMatch(/node-01.*Under-voltage/);
    await expect(bell().getAttribute('aria-label')).resolves.toMatch(/Alerts: [1-9]\d* new/);
    await page.screenshot({ path: screenshotPath('power-alert') });
    await item.getByRole('button', { name: /Acknowledge/ }).click();
    await alertPanel().locator('.alert-item.acknowledged[data-node="node-01"][data-kind="under-voltage-now"]').waitFor();
    // Still listed (dimmed) until the supply recovers.
    await expect(item.count()).resolves.toBe(1);
  });

  it("opens node-01's Power tab from the alert: under-voltage now, and a chart with data", async () => {
    await alertPanel().locator('.alert-item[data-node="node-01"][data-kind="under-voltage-now"] .alert-open').click();
    await page.getByRole('heading', { name: 'node-01', level: 1 }).waitFor();
    await expect(page.getByRole('tab', { name: 'Power' }).getAttribute('aria-selected')).resolves.toBe('true');
    const state = page.getByRole('region', { name: 'Current state' });
    await state.getByText('Under-voltage now', { exact: true }).waitFor({ timeout: 5_000 });
    await page.getByRole('radio', { name: '15 min' }).click();
    await page.locator('.power-chart canvas').first().waitFor();
    await page.waitForFunction(() => Number(document.querySelector('.power-chart')?.getAttribute('data-points')) >= 2, undefined, { timeout: 10_000 });
    // Live: more points arrive while the tab is open.
    const before = Number(await page.locator('.power-chart').getAttribute('data-points'));
    await page.waitForFunction((n) => Number(document.querySelector('.power-chart')?.getAttribute('data-points')) > n, before, { timeout: 5_000 });
    await page.screenshot({ path: screenshotPath('power-tab'), fullPage: true });
  });

  it('spells out that the three boards on hub-a sag together', async () => {
    const hubA = ['node-01', 'node-02', 'node-03'].map((n) => fleet.node(n));
    const setAll = (v: number) => Promise.all(hubA.map((n) => n.setThrottled(v)));
    await setAll(UV_PAST);
    await sleep(1_500);
    // Incidents more than the finder's 10 s window apart count separately.
    for (let i = 0; i < 2; i++) {
      if (i > 0) await sleep(9_000);
      await setAll(UV_NOW);
      await sleep(2_500);
      await setAll(UV_PAST);
    }
    await page.getByRole('button', { name: /Fleet/ }).click();
    await page.getByRole('button', { name: 'Power timeline' }).click();
    const timeline = page.getByRole('region', { name: 'Power timeline' });
    // The last 15 minutes, so the bars of a test that lasts seconds are wide enough to see.
    await timeline.getByRole('radio', { name: 'Last 15 min' }).click();
    const finding = timeline.locator('.finding', { hasText: 'hub-a' });
    await finding.waitFor({ timeout: 10_000 });
    await expect(finding.textContent()).resolves.toMatch(/3 of 3 nodes on supply hub-a reported under-voltage within 10 s of each other, (twice|3 times) today: suspect supply hub-a/);
    await timeline.getByRole('rowheader', { name: 'Supply hub-a' }).waitFor();
    await timeline.getByRole('rowheader', { name: 'Supply hub-b' }).waitFor();
    for (const n of hubA) await expect.poll(() => timeline.locator(`.timeline-row[data-node="${n.name}"] .episode-under-voltage`).count()).toBeGreaterThanOrEqual(2);
    await expect(timeline.locator('.timeline-row[data-node="node-04"] .episode').count()).resolves.toBe(0);
    await timeline.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('power-timeline'), fullPage: true });
  });

  it("follows node-02's journal, filtered by unit and regex, and highlights a kernel under-voltage line", async () => {
    const node = fleet.node('node-02');
    for (let i = 1; i <= 3; i++) {
      await node.appendJournal({ message: `Accepted publickey for pi from 10.0.0.${i} port 5000${i}`, unit: 'ssh.service' });
      await node.appendJournal({ message: `(root) CMD (run-parts /etc/cron.hourly) #${i}`, unit: 'cron.service' });
    }
    await page.getByRole('button', { name: 'node-02, online' }).click();
    await page.getByRole('tab', { name: 'Logs' }).click();
    const list = page.getByRole('log', { name: /node-02 journal/ });
    await list.getByText('#3', { exact: false }).waitFor({ timeout: 10_000 });

    await page.getByLabel('Unit').fill('ssh.service');
    await page.getByLabel('Unit').press('Enter');
    await page.getByRole('log', { name: 'node-02 journal (ssh.service)' }).waitFor();
    await expect.poll(() => page.locator('.log-row').count(), { timeout: 10_000 }).toBe(3);
    expect(await page.locator('.log-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')))).toEqual(['ssh.service', 'ssh.service', 'ssh.service']);
    await page.screenshot({ path: screenshotPath('logs-filtered'), fullPage: true });

    // Follow: a new line shows within about a second; a line of another unit does not.
    await node.appendJournal({ message: 'cron: not for this view', unit: 'cron.service' });
    const t0 = Date.now();
    await node.appendJournal({ message: 'Accepted password for admin from 10.0.0.9 port 50009', unit: 'ssh.service' });
    await page.locator('.log-row', { hasText: 'Accepted password for admin' }).waitFor({ timeout: 3_000 });
    expect(Date.now() - t0).toBeLessThan(1_500);
    await expect(page.locator('.log-row').count()).resolves.toBe(4);

    // Regex, client side; a broken pattern says so inline.
    await page.getByLabel('Regex').check();
    await page.getByLabel('Filter lines').fill('from 10\\.0\\.0\\.[12] ');
    await expect.poll(() => page.locator('.log-row').count()).toBe(2);
    await page.getByLabel('Filter lines').fill('(unclosed');
    await page.getByRole('alert').filter({ hasText: 'not a valid regular expression' }).waitFor();
    await page.getByLabel('Filter lines').fill('password');
    await expect.poll(() => page.locator('.log-row').count()).toBe(1);
    await page.getByLabel('Filter lines').fill('');
    await page.getByLabel('Regex').uncheck();

    // The kernel log: an under-voltage line is highlighted, with a way to the Power tab.
    await page.getByRole('radio', { name: 'Kernel' }).click();
    await page.getByRole('log', { name: 'node-02 kernel log' }).waitFor();
    await node.appendKernel('Under-voltage detected! (0x00050005)');
    const power = page.locator('.log-row.log-power[data-power="under-voltage"]', { hasText: 'Under-voltage detected!' });
    await power.waitFor({ timeout: 5_000 });
    await power.getByRole('button', { name: 'see power' }).waitFor();
    await page.screenshot({ path: screenshotPath('logs-kernel-power'), fullPage: true });
    await power.getByRole('button', { name: 'see power' }).click();
    await expect(page.getByRole('tab', { name: 'Power' }).getAttribute('aria-selected')).resolves.toBe('true');

    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
