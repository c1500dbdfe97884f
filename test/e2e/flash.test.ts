// Flashing through the real UI in Chromium, over the dev bridge, with the real
// services and writer process: pick a fixture image, tick a loop-device "card"
// (the one edge that is not real: there is no SD reader here), confirm, watch
// progress, see success; and a failure that shows its reason.
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixture, type Fixture } from '../fixtures/build-image';
import { launchBrowser, screenshotPath } from '../support/browser';
import { startBridgeFixture, type BridgeFixture } from '../support/dev-bridge';
import { sha256Prefix } from '../support/hash';
import { startCatalogueServer } from '../support/catalogue-server';
import { attachLoop, type LoopDevice } from '../support/loop';

let browser: Browser;
let bridge: BridgeFixture;
let fx: Fixture;
let dir: string;
let loop: LoopDevice;

beforeAll(async () => {
  fx = await ensureFixture({ generation: 'bookworm', sizeMiB: 256 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-e2e-flash-'));
  const card = path.join(dir, 'card.img');
  closeSync(openSync(card, 'w'));
  truncateSync(card, 300 << 20);
  loop = await attachLoop(card);
  bridge = await startBridgeFixture();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  await loop?.detach();
  rmSync(dir, { recursive: true, force: true });
});

async function chooseImageAndCard(page: Page, image: string): Promise<void> {
  await page.goto(bridge.bridge.url);
  await page.getByLabel('Image file path').fill(image);
  await page.getByRole('button', { name: 'Use' }).click();
  await page.getByLabel('Chosen image').waitFor();
  await page.getByLabel('Show virtual drives').check();
  const row = page.getByRole('listitem').filter({ hasText: loop.device });
  await row.getByRole('checkbox').check();
}


describe('flashing from the UI', () => {
  it('writes a fixture image to a card, showing progress and success', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await chooseImageAndCard(page, fx.xz);
    await page.getByRole('button', { name: /^Write card$/ }).click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog.textContent()).resolves.toContain(loop.device);
    await page.screenshot({ path: screenshotPath('flash-confirm') });
    await dialog.getByRole('button', { name: 'Erase and write' }).click();
    await page.getByRole('progressbar').first().waitFor();
    await page.getByText(/1 of 1 card written and verified/).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('flash-done') });
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(sha256Prefix(loop.device, statSync(fx.img).size)).toBe(fx.sha256.img);
    await page.getByRole('button', { name: 'Eject cards' }).click();
    await page.getByText(`${loop.device} is unmounted; you can remove the card.`).waitFor();
    await page.close();
  });

  it('fills the first-boot form and writes two cards, each with its own name and host key', async () => {
    const extra: LoopDevice[] = [];
    for (const name of ['b1', 'b2']) {
      const file = path.join(dir, `${name}.img`);
      closeSync(openSync(file, 'w'));
      truncateSync(file, 300 << 20);
      extra.push(await attachLoop(file));
    }
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
      await page.goto(bridge.bridge.url);
      await page.getByLabel('Image file path').fill(fx.xz);
      await page.getByRole('button', { name: 'Use' }).click();
      await page.getByLabel('Chosen image').waitFor();
      await page.getByLabel('Show virtual drives').check();
      for (const l of extra) await page.getByRole('listitem').filter({ hasText: l.device }).getByRole('checkbox').check();
      await page.getByLabel('Set up each card for headless first boot').check();
      await page.getByLabel('Hostname pattern').fill('rack-{nn}');
      await page.getByText('Cards become rack-01, rack-02').waitFor();
      // One card gets a name of its own; the other keeps the pattern's.
      await page.getByLabel(`Hostname for ${extra[1]!.device}`).fill('gpu-node');
      await page.getByText('Cards become rack-01, gpu-node').waitFor();
      await page.getByLabel('User', { exact: true }).fill('ann');
      await page.getByLabel('Password', { exact: true }).fill('s3cret pw');
      await page.getByLabel('SSH public key').fill('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHo3uVZPdzYz8mFmI9J8x0xW8sXW1Qb7LqO0aJkQ0abc ann@laptop');
      await page.getByLabel('Wi-Fi network').fill('Lab "2"');
      await page.getByLabel('Wi-Fi passphrase').fill('correct horse');
      await page.getByLabel('Wi-Fi country').fill('DE');
      await page.screenshot({ path: screenshotPath('flash-first-boot-form'), fullPage: true });
      await page.getByRole('button', { name: /^Write 2 cards$/ }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Erase and write' }).click();
      await page.getByText(/2 of 2 cards written and verified/).waitFor({ timeout: 60_000 });
      await page.getByText(`${extra[0]!.device} → rack-01`).waitFor();
      await page.getByText(`${extra[1]!.device} → gpu-node`).waitFor();
      await page.screenshot({ path: screenshotPath('flash-first-boot-done'), fullPage: true });
      await page.close();
      const pending = bridge.services.pending.list().map((n) => n.name);
      expect(pending).toEqual(expect.arrayContaining(['rack-01', 'gpu-node']));
      expect(new Set(['rack-01', 'gpu-node'].map((n) => bridge.services.knownHosts.keysFor(n)[0])).size).toBe(2);
    } finally {
      for (const l of extra) await l.detach();
    }
  });

  it('saves first-boot settings as a profile without plain secrets, and loads it back', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await page.goto(bridge.bridge.url);
    await page.getByLabel('Set up each card for headless first boot').check();
    await page.getByLabel('Hostname pattern').fill('lab-{nn}');
    await page.getByLabel('Password', { exact: true }).fill('s3cret pw');
    await page.getByRole('button', { name: 'Add the Bramble cluster key' }).click();
    await page.getByText(/Added the cluster key/).waitFor();
    await page.getByLabel('Wi-Fi network').fill('Lab');
    await page.getByLabel('Wi-Fi passphrase').fill('correct horse');
    await page.getByLabel('Wi-Fi country').fill('GB');
    await page.getByLabel('Profile name').fill('lab cluster');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Saved the profile lab cluster (passwords only as hashes).').waitFor();
    const stored = readFileSync(path.join(bridge.dataDir, 'boot-profiles.json'), 'utf8');
    expect(stored).toContain('lab-{nn}');
    expect(stored).not.toMatch(/s3cret pw|correct horse|PRIVATE KEY/);
    expect(statSync(path.join(bridge.dataDir, 'keys', 'cluster_ed25519')).mode & 0o777).toBe(0o600);

    await page.reload();
    await page.getByLabel('Set up each card for headless first boot').check();
    await page.getByLabel('Profile', { exact: true }).selectOption('lab cluster');
    await expect(page.getByLabel('Hostname pattern').inputValue()).resolves.toBe('lab-{nn}');
    await expect(page.getByLabel('SSH public key').inputValue()).resolves.toMatch(/^ssh-ed25519 \S+ bramble-cluster$/);
    await expect(page.getByLabel('Password', { exact: true }).getAttribute('placeholder')).resolves.toBe('kept from the profile');
    await page.screenshot({ path: screenshotPath('flash-profile-loaded'), fullPage: true });
    await page.close();
  });

  it('customises a raw image file in place, for flashing with another tool', async () => {
    const img = path.join(dir, 'for-etcher.img');
    copyFileSync(fx.img, img);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await page.goto(bridge.bridge.url);
    await page.getByLabel('Image file path').fill(img);
    await page.getByRole('button', { name: 'Use' }).click();
    await page.getByLabel('Chosen image').waitFor();
    await page.getByLabel('Set up each card for headless first boot').check();
    await page.getByLabel('Hostname pattern').fill('edge-{n}');
    await page.getByLabel('Password', { exact: true }).fill('pw');
    await page.getByRole('button', { name: 'Apply to for-etcher.img only (no card)' }).click();
    await page.getByText('for-etcher.img now boots as edge-1 (firstrun); flash it with any tool.').waitFor();
    await page.close();
    expect(bridge.services.pending.list().some((n) => n.name === 'edge-1' && n.card === img)).toBe(true);
  });

  it('shows why a write failed', async () => {
    const broken = path.join(dir, 'broken.img.gz');
    copyFileSync(fx.gz, broken);
    truncateSync(broken, Math.floor(statSync(fx.gz).size * 0.6));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await chooseImageAndCard(page, broken);
    await page.getByRole('button', { name: /^Write card$/ }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Erase and write' }).click();
    await page.getByText(/0 of 1 card written and verified/).waitFor({ timeout: 60_000 });
    await page.getByText(/The \.gz image broken\.img\.gz is damaged or truncated/).first().waitFor();
    await page.screenshot({ path: screenshotPath('flash-failed') });
    await page.close();
  });

  it('changes where the catalogue comes from, refusing plain http from another machine', async () => {
    const server = await startCatalogueServer();
    try {
      server.setCatalogue({ os_list: [{ name: 'Mirror OS (64-bit)', description: 'From the local mirror', url: `${server.base}/files/mirror.img.xz`, extract_size: 1 << 20, extract_sha256: 'a'.repeat(64), image_download_size: 1000, release_date: '2026-11-01', devices: [] }] });
      // Start from a loopback catalogue so the page never reaches out to the internet.
      await bridge.services.settings.update({ catalogueUrl: `${server.base}/os_list.json?first=1` });
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await page.goto(bridge.bridge.url);
      await page.getByRole('tab', { name: 'Raspberry Pi catalogue' }).click();
      await page.getByText('Mirror OS (64-bit)').waitFor();
      await page.getByRole('button', { name: 'Change' }).click();
      await page.getByLabel('Catalogue address').fill('http://mirror.example.org/os_list.json');
      await page.getByRole('button', { name: 'Use this catalogue' }).click();
      await page.getByRole('alert').filter({ hasText: /https/ }).waitFor();
      expect(bridge.services.settings.get().catalogueUrl).toBe(`${server.base}/os_list.json?first=1`);
      server.setCatalogue({ os_list: [{ name: 'Second mirror OS', description: 'Another list', url: `${server.base}/files/second.img.xz`, devices: [] }] });
      await page.getByLabel('Catalogue address').fill(`${server.base}/os_list.json?second=1`);
      await page.getByRole('button', { name: 'Use this catalogue' }).click();
      await page.getByText('Second mirror OS').waitFor();
      await page.getByText(`${server.base}/os_list.json?second=1`).waitFor();
      expect(server.requests.some((r) => r.url === '/os_list.json')).toBe(true);
      await page.screenshot({ path: screenshotPath('flash-catalogue-source') });
      await page.close();
    } finally {
      await server.close();
    }
  });
});
