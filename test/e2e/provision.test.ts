// The Node panel's Provision tab in Chromium over the dev bridge, against 2 real
// sshd "nodes": the built-in base node playbook on node-01 reports changes and a
// recap, a second run changes nothing, the packages really are installed; a
// check-only run on node-02 says what would change and installs nothing; each
// node's history lists its runs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../fleet/fleet.js';
import { launchBrowser, screenshotPath } from '../support/browser';
import { joinFleet, openWatchedPage, startBridgeFixture, type BridgeFixture } from '../support/dev-bridge';

const BASE_PACKAGES = ['docker.io', 'htop', 'vim'];

let fleet: Fleet;
let bridge: BridgeFixture;
let browser: Browser;
let page: Page;
let cspViolations: string[];
let pageErrors: string[];

beforeAll(async () => {
  fleet = await startFleet({ nodes: 2 });
  for (const n of fleet.nodes) for (const p of BASE_PACKAGES) await n.makeAvailable(p);
  bridge = await startBridgeFixture({ connectFleet: true });
  await joinFleet(bridge, fleet, () => ({ groups: ['pis'] }));
  const states = await bridge.services.fleet.settled(fleet.nodes.map((n) => n.name), 30_000);
  expect(states.map((s) => s.status)).toEqual(['online', 'online']);
  browser = await launchBrowser();
  ({ page, cspViolations, pageErrors } = await openWatchedPage(browser));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  await fleet?.stop();
});

async function openProvision(name: string): Promise<void> {
  await page.getByRole('button', { name: /Fleet/ }).click();
  await page.getByRole('button', { name: `${name}, online` }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await page.getByRole('tab', { name: 'Provision' }).click();
  await page.getByRole('radio', { name: 'Base node' }).waitFor();
}

const recapRow = (host: string) => page.getByRole('table', { name: 'Play recap' }).locator(`tr[data-host="${host}"]`);
const recapCell = async (host: string, col: string) => Number(await recapRow(host).locator(`td[data-col="${col}"]`).textContent());
const summary = () => page.getByRole('status', { name: 'Run summary' });

/** Writes a playbook beside the fleet and opens it through the path field (open already), checking it is chosen. */
async function openPlaybook(name: string, yaml: string): Promise<string> {
  const file = path.join(fleet.dir, name);
  writeFileSync(file, yaml);
  await page.getByLabel('Playbook file path').fill(file);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('radio', { name }).isChecked()).resolves.toBe(true);
  return file;
}

/** The view scrolls inside its own pane, so a full-page shot would not reach past the form. */
async function shoot(name: string, selector: string): Promise<void> {
  await page.locator(selector).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: screenshotPath(name) });
}

describe('the Provision tab', () => {
  it('runs the base node playbook on node-01: tasks report per node, then a recap with changes', async () => {
    await page.goto(bridge.bridge.url);
    await openProvision('node-01');
    await page.getByRole('radio', { name: 'Base node' }).check();
    // What it does, before it runs.
    const outline = page.getByRole('region', { name: 'What Base node does' });
    await outline.getByText('Install the base packages').waitFor();
    // The key to authorise: the user's own keys and Bramble's cluster key are offered.
    const keyChoice = page.getByLabel('SSH public key to authorise');
    const clusterKey = await keyChoice.locator('option', { hasText: 'Bramble’s cluster key: ssh-ed25519' }).getAttribute('value');
    await keyChoice.selectOption(clusterKey!);
    // Ansible is on this machine, so the choice is there; Bramble stays the default.
    await expect(page.getByRole('radio', { name: 'Bramble' }).isChecked()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Provision 1 node' }).click();
    const run = page.locator('.provision-run');
    await page.locator('.provision-run[data-run-state="done"]').waitFor({ timeout: 90_000 });
    await expect(summary().textContent()).resolves.toBe('1 node changed, 0 failed.');
    await expect(recapCell('node-01', 'failed')).resolves.toBe(0);
    await expect(recapCell('node-01', 'unreachable')).resolves.toBe(0);
    expect(await recapCell('node-01', 'changed')).toBeGreaterThan(0);
    // One row per task, each with node-01's chip.
    const packages = run.locator('li.task-row[data-task="Install the base packages"]');
    await expect(packages.locator('.chip').getAttribute('data-status')).resolves.toBe('changed');
    await expect(run.locator('li.task-row').count()).resolves.toBe(3);
    // Opened, a task says what it did.
    await packages.locator(':scope > details > summary').click();
    await expect(packages.locator('.task-msg').textContent()).resolves.toMatch(/installed: .*docker\.io/);
    await shoot('provision-first-run', '.provision-run');

    expect(await fleet.node('node-01').installedPackages()).toEqual(expect.arrayContaining(BASE_PACKAGES));
  });

  it('runs it again: everything ok, nothing changed', async () => {
    await page.getByRole('button', { name: 'Provision 1 node' }).click();
    await summary().filter({ hasText: '0 nodes changed, 0 failed' }).waitFor({ timeout: 90_000 });
    await expect(summary().textContent()).resolves.toBe('0 nodes changed, 0 failed: everything was already in place.');
    await expect(recapCell('node-01', 'changed')).resolves.toBe(0);
    await expect(recapCell('node-01', 'failed')).resolves.toBe(0);
    await expect(recapCell('node-01', 'ok')).resolves.toBe(3);
    await expect(page.locator('.provision-run .chip:not([data-status="ok"])').count()).resolves.toBe(0);
    // Both runs are in node-01's history, newest first, with node-01's recap.
    const history = page.getByRole('list', { name: 'Run history' }).locator('li.history-row');
    await expect.poll(() => history.count(), { timeout: 10_000 }).toBe(2);
    await expect(history.first().locator('.history-recap').textContent()).resolves.toBe('ok=3changed=0failed=0');
    await expect(history.nth(1).locator('.history-recap').textContent()).resolves.toMatch(/changed=[1-9]/);
    await shoot('provision-second-run', '.provision-run');
  });

  it('checks node-02 without changing it: what would change, nothing installed', async () => {
    await openProvision('node-02');
    // The first run's results belong to node-01's panel.
    await expect(page.locator('.provision-run').count()).resolves.toBe(0);
    await page.getByRole('radio', { name: 'Base node' }).check();
    await page.getByLabel('Check only: show what would change').check();
    await page.getByRole('button', { name: 'Check 1 node' }).click();
    await page.locator('.provision-run[data-run-state="done"]').waitFor({ timeout: 90_000 });
    await expect(summary().textContent()).resolves.toBe('1 node would change, 0 failed.');
    const packages = page.locator('.provision-run li.task-row[data-task="Install the base packages"] .chip');
    await expect(packages.textContent()).resolves.toBe('would change');
    const packagesRow = page.locator('.provision-run li.task-row[data-task="Install the base packages"]');
    await packagesRow.locator(':scope > details > summary').click();
    await expect(packagesRow.locator('.task-msg').textContent()).resolves.toMatch(/would install: .*docker\.io/);
    await expect(recapCell('node-02', 'failed')).resolves.toBe(0);
    const installed = await fleet.node('node-02').installedPackages();
    for (const p of BASE_PACKAGES) expect(installed).not.toContain(p);

    const history = page.getByRole('list', { name: 'Run history' }).locator('li.history-row');
    await expect.poll(() => history.count(), { timeout: 10_000 }).toBe(1);
    await expect(history.first().getAttribute('data-check')).resolves.toBe('true');
    await history.first().locator(':scope > details > summary').click();
    await history.first().locator('li.task-row[data-task="Install the base packages"]').waitFor();
    await shoot('provision-check-mode', '.provision-run');
    await shoot('provision-history', '.history-list');
  });

  it('checks all nodes at once: a chip per node on each task, a recap row per node', async () => {
    await page.getByLabel('All nodes (2)').check();
    await page.getByRole('button', { name: 'Check 2 nodes' }).click();
    await summary().filter({ hasText: 'would change' }).waitFor({ timeout: 90_000 });
    await page.locator('.provision-run[data-run-state="done"]').waitFor();
    // node-01 was provisioned already; node-02 was only checked.
    await expect(summary().textContent()).resolves.toBe('1 node would change, 0 failed.');
    const packages = page.locator('.provision-run li.task-row[data-task="Install the base packages"]');
    await expect(packages.locator('.chip[data-host="node-01"]').textContent()).resolves.toBe('node-01ok');
    await expect(packages.locator('.chip[data-host="node-02"]').textContent()).resolves.toBe('node-02would change');
    await expect(recapCell('node-01', 'changed')).resolves.toBe(0);
    await expect(recapCell('node-02', 'changed')).resolves.toBe(2);
    // Each node keeps its place on every row, however the nodes finished.
    for (const row of await page.locator('.provision-run li.task-row').all()) {
      await expect(row.locator('.chip').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-host')))).resolves.toEqual(['node-01', 'node-02']);
    }
    // The same view in the dark theme.
    await page.getByRole('radio', { name: 'Dark theme' }).click();
    await shoot('provision-all-nodes', '.provision-run');
    await page.getByRole('radio', { name: 'System theme' }).click();
    await page.getByLabel('This node (node-02)').check();
  });

  it('shows the task running with a spinner, and cancels it', async () => {
    const node = fleet.node('node-02');
    await node.setAptDelay(30_000);
    try {
      await page.getByLabel('Check only: show what would change').uncheck();
      await page.getByRole('button', { name: 'Provision 1 node' }).click();
      const packages = page.locator('.provision-run li.task-row[data-task="Install the base packages"][data-state="running"]');
      await packages.waitFor({ timeout: 30_000 });
      await packages.getByLabel('Running').waitFor();
      await expect(packages.locator('.chip').textContent()).resolves.toBe('running');
      // The form waits for the run: no second Provision while this one goes on.
      await expect(page.getByRole('button', { name: 'Provision 1 node' }).isDisabled()).resolves.toBe(true);
      await shoot('provision-running', '.provision-run');
      await page.locator('.provision-run').getByRole('button', { name: 'Cancel' }).click();
      await page.locator('.provision-run[data-run-state="cancelled"]').waitFor({ timeout: 30_000 });
      await expect(page.getByRole('button', { name: 'Provision 1 node' }).isEnabled()).resolves.toBe(true);
      expect(await node.installedPackages()).not.toContain('docker.io');
    } finally {
      await node.setAptDelay(0);
    }
  });

  it('exports the playbook and inventory for Ansible', async () => {
    const dir = `${fleet.dir}/ansible-export`;
    await page.getByText('Export for Ansible').click();
    await page.getByLabel('Export folder').fill(dir);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const result = page.getByRole('status', { name: 'Export result' });
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/Wrote \d+ files? to/);
    const inventoryFile = (await result.locator('li').allTextContents()).find((f) => /inventory|hosts/.test(f));
    expect(inventoryFile).toBeDefined();
    expect(readFileSync(inventoryFile!.startsWith('/') ? inventoryFile! : `${dir}/${inventoryFile}`, 'utf8')).toContain('node-02');
  });

  it('opens a playbook file by path, names what it cannot run, and runs one with real Ansible', async () => {
    await openProvision('node-01');
    const bad = path.join(fleet.dir, 'bad.yml');
    writeFileSync(bad, '- hosts: all\n  tasks:\n    - name: Frobnicate\n      community.general.frobnicate: {}\n');
    // No native dialog over the dev bridge: the path field takes its place, saying why.
    await page.getByRole('button', { name: 'Open a playbook file…' }).click();
    await page.getByText(/type or paste the playbook path/).waitFor();
    await page.getByLabel('Playbook file path').fill(bad);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Bramble cannot run that playbook' }).textContent()).resolves.toMatch(/frobnicate/);

    await openPlaybook('note.yml', '- name: Leave a note\n  hosts: all\n  tasks:\n    - name: Leave a note\n      copy:\n        content: "provisioned by {{ inventory_hostname }}\\n"\n        dest: "{{ ansible_env.HOME }}/bramble-note.txt"\n        mode: "0640"\n');
    await page.getByRole('region', { name: 'What note.yml does' }).getByText('Leave a note', { exact: true }).waitFor();

    await page.getByRole('radio', { name: 'Run with Ansible' }).check();
    await page.getByRole('button', { name: 'Provision 1 node' }).click();
    await page.locator('.provision-run[data-run-state="done"]').waitFor({ timeout: 120_000 });
    await expect(page.locator('.provision-run .panel-actions').textContent()).resolves.toMatch(/^Ansible · finished/);
    // Gathering facts counts as one ok, as in Ansible.
    await expect(recapCell('node-01', 'ok')).resolves.toBe(2);
    await expect(recapCell('node-01', 'changed')).resolves.toBe(1);
    await expect(summary().textContent()).resolves.toBe('1 node changed, 0 failed.');
    await shoot('provision-ansible', '.provision-run');
    await page.getByRole('radio', { name: 'Bramble' }).check();
  }, 180_000);

  it('shows a failed task opened, in red, with its exit code, and says so in the summary', async () => {
    // The path field is still open from the last test.
    await openPlaybook('failing.yml', '- name: Break\n  hosts: all\n  tasks:\n    - name: Fail on purpose\n      command: sh -c "echo going down >&2; exit 3"\n    - name: Never reached\n      command: "true"\n');
    await page.getByRole('button', { name: 'Provision 1 node' }).click();
    await page.locator('.provision-run[data-run-state="failed"]').waitFor({ timeout: 60_000 });
    const row = page.locator('.provision-run li.task-row[data-task="Fail on purpose"]');
    await expect(row.locator('.chip').getAttribute('data-status')).resolves.toBe('failed');
    // Failures open by themselves: the reason is the first thing to read.
    await expect(row.locator('details').getAttribute('open')).resolves.not.toBeNull();
    await expect(row.locator('.task-output').textContent()).resolves.toMatch(/rc=3/);
    await expect(row.locator('.stderr-block').textContent()).resolves.toContain('going down');
    await expect(summary().textContent()).resolves.toBe('0 nodes changed, 1 failed.');
    await expect(recapCell('node-01', 'failed')).resolves.toBe(1);
    await shoot('provision-failed', '.provision-run');
  });

  it('runs only the tagged tasks the user picks, skips the ones they exclude, and history says which', async () => {
    const home = fleet.node('node-02').homeDir;
    const yaml = [
      '- name: Tagged',
      '  hosts: all',
      '  tasks:',
      '    - name: Write setup',
      '      copy: { content: "setup\\n", dest: "{{ ansible_env.HOME }}/tag-setup.txt" }',
      '      tags: [setup]',
      '    - name: Write app',
      '      copy: { content: "app\\n", dest: "{{ ansible_env.HOME }}/tag-app.txt" }',
      '      tags: [app]',
      '    - name: Write debug',
      '      copy: { content: "debug\\n", dest: "{{ ansible_env.HOME }}/tag-debug.txt" }',
      '      tags: [debug, never]',
      '',
    ].join('\n');
    await openProvision('node-02');
    await page.getByRole('button', { name: 'Open a playbook file…' }).click();
    await openPlaybook('tagged.yml', yaml);
    const filter = page.getByRole('group', { name: 'Tagged tasks' });
    await expect(filter.locator('tr[data-tag]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tag')))).resolves.toEqual(['app', 'debug', 'never', 'setup']);
    await filter.getByRole('radio', { name: 'setup: only' }).check();
    await filter.getByRole('radio', { name: 'app: skip' }).check();
    await expect(filter.locator('.tag-summary').textContent()).resolves.toBe('Only tasks tagged setup (and always). Tasks tagged app are skipped.');
    await page.getByLabel(/Nodes at a time/).fill('1');
    await shoot('provision-tags', '.provision-form');

    await page.getByRole('button', { name: 'Provision 1 node' }).click();
    await page.locator('.provision-run[data-run-state="done"]').waitFor({ timeout: 60_000 });
    await expect(recapCell('node-02', 'changed')).resolves.toBe(1);
    expect(readFileSync(path.join(home, 'tag-setup.txt'), 'utf8')).toBe('setup\n');
    expect(() => readFileSync(path.join(home, 'tag-app.txt'))).toThrow(/ENOENT/);
    expect(() => readFileSync(path.join(home, 'tag-debug.txt'))).toThrow(/ENOENT/);
    const row = page.locator('.history-row').first();
    await expect(row.locator('.tag').allTextContents()).resolves.toEqual(expect.arrayContaining(['only setup', 'skip app']));
    // Choosing another playbook forgets the filter: its tags are not these.
    const card = (name: string) => page.locator('label.playbook-card', { has: page.getByRole('radio', { name }) });
    await card('Base node').click();
    await expect(page.getByRole('radio', { name: 'Base node' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('group', { name: 'Tagged tasks' }).count()).resolves.toBe(0);
    await card('tagged.yml').click();
    await expect(filter.getByRole('radio', { name: 'setup: as usual' }).isChecked()).resolves.toBe(true);
  }, 120_000);

  it('picks a run that is still going back up after the window reloads, and follows it to the end', async () => {
    await openPlaybook('slow.yml', '- name: Slow\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: Quick first\n      command: "true"\n    - name: Take a while\n      command: sleep 4\n    - name: Last\n      command: "true"\n');
    await page.getByRole('button', { name: 'Provision 1 node' }).click();
    await page.locator('.provision-run li.task-row[data-task="Quick first"] .chip[data-status="changed"]').waitFor();

    await page.reload();
    await openProvision('node-02');
    const run = page.locator('.provision-run[data-run-state="running"]');
    await run.waitFor({ timeout: 10_000 });
    // What happened before the reload is there, once.
    await expect(page.locator('.provision-run li.task-row[data-task="Quick first"]').count()).resolves.toBe(1);
    await page.locator('.provision-run[data-run-state="done"]').waitFor({ timeout: 30_000 });
    for (const task of ['Quick first', 'Take a while', 'Last']) {
      await expect(page.locator(`.provision-run li.task-row[data-task="${task}"] .chip`).getAttribute('data-status')).resolves.toBe('changed');
    }
    await expect(recapCell('node-02', 'changed')).resolves.toBe(3);
  }, 90_000);

  it('kept to the CSP and threw nothing', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
