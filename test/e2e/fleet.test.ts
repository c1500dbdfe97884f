// The Fleet view in Chromium over the dev bridge, against 8 real sshd "nodes"
// on loopback: one node added through the Add dialog and the rest through an
// imported Ansible inventory, host keys trusted in the UI (two) or recorded
// beforehand as flashing would (six); all tiles green; a node pulled from the
// power turns red and comes back green; a command runs on all 8; a reboot from
// a tile's menu; and the Node panel's terminal runs `hostname` on a node.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type FakeNode, type Fleet } from '../fleet/fleet.js';
import { launchBrowser, screenshotPath } from '../support/browser';
import { startBridgeFixture, type BridgeFixture } from '../support/dev-bridge';

let fleet: Fleet;
let bridge: BridgeFixture;
let browser: Browser;
let page: Page;
let dir: string;
const cspViolations: string[] = [];

// Trusted through the UI; the others are recorded in known_hosts before the app starts.
const TRUSTED_IN_UI = ['node-01', 'node-02'];

beforeAll(async () => {
  fleet = await startFleet({ nodes: 8 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-e2e-fleet-'));
  const dataDir = path.join(dir, 'data');
  const seeded = fleet.nodes.filter((n) => !TRUSTED_IN_UI.includes(n.name));
  // As the flash service does for the cards it writes: OpenSSH format, the node's names and address.
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'known_hosts'), seeded.map((n) => `${n.name},${n.name}.local,${n.host} ${n.hostKeyPublic.trim().split(/\s+/).slice(0, 2).join(' ')}`).join('\n') + '\n', { mode: 0o600 });
  bridge = await startBridgeFixture({ dataDir, connectFleet: true });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tile = (name: string) => page.locator(`li.tile[data-node="${name}"]`);

async function waitForStatus(name: string, status: string, timeout = 30_000): Promise<void> {
  await page.locator(`li.tile[data-node="${name}"][data-status="${status}"]`).waitFor({ timeout });
}

async function trustInUi(node: FakeNode): Promise<void> {
  await waitForStatus(node.name, 'host-key-unknown');
  const prompt = tile(node.name).getByRole('group', { name: `Host key of ${node.name}` });
  await expect(prompt.textContent()).resolves.toContain('Trust this key?');
  // The user compares this with what the board shows: it must be the node's real key.
  await expect(prompt.locator('.fingerprint').textContent()).resolves.toBe(node.hostKeyFingerprint);
  await prompt.getByRole('button', { name: 'Trust' }).click();
  await waitForStatus(node.name, 'online');
}

describe('the Fleet view', () => {
  it('adds a node through the dialog and trusts its key on first contact', async () => {
    await page.goto(bridge.bridge.url);
    await page.getByRole('button', { name: /Fleet/ }).click();
    await page.getByRole('heading', { name: 'No nodes yet' }).waitFor();
    await page.getByRole('button', { name: 'Add a node' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a node' });
    const first = fleet.nodes[0]!;
    await dialog.getByLabel('Name', { exact: true }).fill(first.name);
    await dialog.getByLabel('Host', { exact: true }).fill(first.host);
    await dialog.getByLabel('User', { exact: true }).fill(fleet.user);
    await dialog.getByLabel('Key file').check();
    await dialog.getByLabel('Private key file').fill(fleet.clientKeyPath);
    await dialog.getByLabel('Groups').fill('lab, rack-a');
    await dialog.getByRole('button', { name: 'Add node' }).click();
    await dialog.waitFor({ state: 'detached' });
    await trustInUi(first);
    await expect(page.getByRole('button', { name: `${first.name}, online` }).count()).resolves.toBe(1);
  });

  it('imports the other seven from an Ansible inventory', async () => {
    const rest = fleet.nodes.slice(1);
    const ini = path.join(dir, 'inventory.ini');
    writeFileSync(
      ini,
      ['[workers]', ...rest.map((n) => `${n.name} ansible_host=${n.host} ansible_user=${fleet.user} ansible_ssh_private_key_file=${fleet.clientKeyPath}`), ''].join('\n'),
    );
    await page.getByRole('button', { name: 'Import' }).first().click();
    await page.getByLabel('Inventory file path').fill(ini);
    await page.getByRole('button', { name: 'Import', exact: true }).last().click();
    const result = page.getByRole('status', { name: 'Import result' });
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/7 added, 0 updated, 0 skipped/);
    await trustInUi(fleet.node('node-02'));
    for (const n of fleet.nodes) await waitForStatus(n.name, 'online');
    await expect(page.locator('li.tile[data-status="online"]').count()).resolves.toBe(8);
    await page.getByText('8 online').waitFor();
    await page.screenshot({ path: screenshotPath('fleet-all-online'), fullPage: true });
  });

  it('turns a killed node red and green again when it is back', async () => {
    const victim = fleet.node('node-04');
    await victim.kill();
    await waitForStatus(victim.name, 'offline', 60_000);
    await page.getByRole('button', { name: `${victim.name}, offline` }).waitFor();
    await page.getByText('1 offline').waitFor();
    await page.screenshot({ path: screenshotPath('fleet-node-offline'), fullPage: true });
    await victim.restart();
    await waitForStatus(victim.name, 'online', 60_000);
    await page.getByText('8 online').waitFor();
    await page.screenshot({ path: screenshotPath('fleet-node-back'), fullPage: true });
  });

  it('runs a command on all 8 nodes and shows each result', async () => {
    await page.getByLabel('Select all').check();
    await page.getByLabel('Command', { exact: true }).fill('hostname');
    await page.getByRole('button', { name: 'Run on 8 nodes' }).click();
    await page.locator('li.run-node[data-result="ok"]').nth(7).waitFor({ timeout: 60_000 });
    await expect(page.locator('li.run-node').count()).resolves.toBe(8);
    await page.getByText(/done: 8 of 8 ok/).waitFor();
    for (const n of fleet.nodes) {
      const row = page.locator(`li.run-node[data-node="${n.name}"]`);
      await row.locator('summary').click();
      await expect(row.locator('.run-output').textContent()).resolves.toContain(n.name);
    }
    await page.screenshot({ path: screenshotPath('fleet-run'), fullPage: true });
  });

  it('reboots a node from its tile menu and shows it waiting for the node to come back', async () => {
    const node = fleet.node('node-05');
    await tile(node.name).getByRole('button', { name: `Actions for ${node.name}` }).click();
    await page.getByRole('menuitem', { name: 'Reboot' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Reboot ${node.name}?` });
    await confirm.getByRole('button', { name: `Reboot ${node.name}` }).click();
    await confirm.waitFor({ state: 'detached' });
    await tile(node.name).getByText(/rebooting: waiting for it to come back/).waitFor({ timeout: 30_000 });
    // Down on purpose: grey and "rebooting", not red.
    await page.getByRole('button', { name: `${node.name}, rebooting` }).waitFor();
    expect(await tile(node.name).getAttribute('data-tone')).toBe('idle');
    await page.screenshot({ path: screenshotPath('fleet-node-rebooting'), fullPage: true });
    await waitForStatus(node.name, 'online', 60_000);
  });

  it('opens a terminal on a node and runs hostname in it', async () => {
    const node = fleet.node('node-03');
    await page.getByRole('button', { name: `${node.name}, online` }).click();
    await page.getByRole('heading', { name: node.name, level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await page.locator('.xterm-rows').waitFor();
    await page.getByText(`Opening a shell on ${node.name}`).waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('.xterm-helper-textarea').focus();
    await page.keyboard.type('hostname');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (name) => [...document.querySelectorAll('.xterm-rows > div')].some((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trim() === name),
      node.name,
      { timeout: 20_000 },
    );
    // xterm's own styles (cell size, colours) reach the page through constructed
    // stylesheets, as the CSP refuses its inline <style> elements.
    const mirrored = await page.evaluate(() => document.adoptedStyleSheets.some((s) => [...s.cssRules].some((r) => r.cssText.includes('xterm-rows'))));
    expect(mirrored).toBe(true);
    // The only refusals are of those inline styles: nothing else tried to break the CSP.
    expect(cspViolations.filter((m) => !m.includes("style-src 'self'"))).toEqual([]);
    await page.screenshot({ path: screenshotPath('fleet-terminal'), fullPage: true });
  });

  it('finds a flashed board at an address the user gives, adopting it only because its recorded key answers', async () => {
    const flashed = await startFleet({ nodes: 1, namePrefix: 'flashed-' });
    try {
      const n = flashed.nodes[0]!;
      // What flashing leaves behind: the card's host key, a pending entry, and the cluster key offered on the card.
      await bridge.services.knownHosts.set([n.name, `${n.name}.local`], n.hostKeyPublic);
      mkdirSync(path.join(bridge.dataDir, 'keys'), { recursive: true, mode: 0o700 });
      copyFileSync(flashed.clientKeyPath, path.join(bridge.dataDir, 'keys', 'cluster_ed25519'));
      await bridge.services.pending.add([{ name: n.name, user: n.user, hostKeyFingerprint: n.hostKeyFingerprint, image: 'raspios.img.xz', writtenAt: new Date().toISOString(), card: '/dev/sdz' }]);
      await page.getByRole('button', { name: /Fleet/ }).click();
      await page.reload();
      await page.getByRole('button', { name: /Fleet/ }).click();
      await waitForStatus(n.name, 'pending');
      await tile(n.name).getByLabel(`Address of ${n.name}`).fill(n.host);
      await tile(n.name).getByRole('button', { name: 'Find' }).click();
      await waitForStatus(n.name, 'online');
      expect(bridge.services.inventory.get(n.name)).toMatchObject({ host: n.host, auth: { kind: 'key' } });
      expect(bridge.services.pending.names()).not.toContain(n.name);
    } finally {
      await flashed.stop();
    }
  });
});
