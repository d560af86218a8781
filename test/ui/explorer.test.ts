// A person starts a run from the command palette, watches it in the Runs tree, reloads
// the window (a new extension host re-attaches to the live trainer), then pauses and
// stops it from the tree's context menu. Screenshots: .test-output/screenshots/ui-explorer-*.png
import * as fs from 'fs';
import * as path from 'path';
import { Locator, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { openCommandPalette, openViewContainer, viewPane, waitForWorkbench } from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';

function longConfig(): string {
  return fs
    .readFileSync(path.join(repoRoot, 'trainer/configs/tiny-test.grpo.json'), 'utf8')
    .replace(/"\$schema":[^\n]*\n/, '')
    .replace(/"name":\s*"[^"]*"/, '"name": "explorer"')
    .replace(/"max_steps":\s*\d+/, '"max_steps": 100000')
    .replace(/"checkpoint_every":\s*\d+/, '"checkpoint_every": 0');
}

function runRow(page: Page): Locator {
  return viewPane(page, 'Runs').getByRole('treeitem', { name: /explorer-\d{8}-\d{6}/ });
}

async function openRunsView(page: Page): Promise<void> {
  await waitForWorkbench(page);
  await openViewContainer(page, 'GRPO Lens');
  await viewPane(page, 'Runs').waitFor({ state: 'visible' });
}

async function contextMenuItem(page: Page, row: Locator, label: string): Promise<Locator> {
  await row.click({ button: 'right' });
  const item = page.locator('.monaco-menu a.action-menu-item', { hasText: new RegExp(`^\\s*${label}\\s*$`) });
  await item.first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(400); // the menu fades in
  return item.first();
}

/** The run's state, as the tree item's accessible name says it. */
async function waitForState(row: Locator, state: string): Promise<void> {
  await row
    .and(row.page().getByRole('treeitem', { name: new RegExp(`, ${state}, `) }))
    .waitFor({ timeout: 60_000 });
}

/** Kills whatever trainer the workspace's runs still name (the test must leave none). */
function killTrainers(workspace: string): void {
  const runs = path.join(workspace, 'runs');
  for (const name of fs.existsSync(runs) ? fs.readdirSync(runs) : []) {
    try {
      const status = JSON.parse(fs.readFileSync(path.join(runs, name, 'status.json'), 'utf8')) as {
        pid?: number;
      };
      if (status.pid) process.kill(status.pid, 'SIGKILL');
    } catch {
      // no status or process gone
    }
  }
}

describe('run explorer driven like a person', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = makeWorkspace({ files: { 'explorer.grpo.json': longConfig() } });
    wb = await launchWorkbench({ workspace });
    await openRunsView(wb.page);
  });

  after(async () => {
    await wb?.close();
    if (workspace) killTrainers(workspace);
  });

  it('starts a run from the palette and shows it running in the tree', async () => {
    const page = wb.page;
    const quickInput = await openCommandPalette(page, 'GRPO: Start Run');
    await quickInput
      .locator('.quick-input-list .monaco-list-row', { hasText: 'GRPO: Start Run' })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    const configRow = quickInput.locator('.quick-input-list .monaco-list-row', {
      hasText: 'explorer.grpo.json',
    });
    await configRow.first().waitFor({ timeout: 30_000 });
    await wb.screenshot('ui-explorer-pick-config');
    await configRow.first().click();
    const row = runRow(page);
    await row.waitFor({ timeout: 60_000 });
    await waitForState(row, 'running');
    await row.getByText(/reward/).waitFor({ timeout: 60_000 });
    await wb.screenshot('ui-explorer-running');
  });

  it('summarises the run in its tooltip', async () => {
    const hover = wb.page.locator('.monaco-hover', { hasText: 'Model: tiny' });
    // A live run redraws its row about once a second, which may close the hover: hover again.
    for (let attempt = 0; attempt < 5 && !(await hover.isVisible()); attempt++) {
      await wb.page.mouse.move(700, 500);
      await runRow(wb.page).hover();
      await hover.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => undefined);
    }
    await hover.waitFor({ state: 'visible', timeout: 1_000 });
    await wb.screenshot('ui-explorer-tooltip');
    await wb.page.mouse.move(700, 500);
  });

  it('shows the context menu of a running run', async () => {
    await contextMenuItem(wb.page, runRow(wb.page), 'Pause');
    await wb.screenshot('ui-explorer-context-menu');
    await wb.page.keyboard.press('Escape');
  });

  it('after a window reload, finds the run running again and pauses it', async () => {
    const page = wb.page;
    await page.reload();
    await openRunsView(page);
    const row = runRow(page);
    await waitForState(row, 'running');
    await (await contextMenuItem(page, row, 'Pause')).click();
    await waitForState(row, 'paused');
    await wb.screenshot('ui-explorer-paused-after-reload');
  });

  it('stops the run from the context menu', async () => {
    const page = wb.page;
    const row = runRow(page);
    await (await contextMenuItem(page, row, 'Stop')).click();
    await waitForState(row, 'stopped');
    await wb.screenshot('ui-explorer-stopped');
  });
});
