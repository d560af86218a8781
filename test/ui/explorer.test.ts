// A person starts a run from the command palette, watches it in the Runs tree, reloads
// the window (a new extension host re-attaches to the live trainer), then pauses and
// stops it from the tree's context menu. Screenshots: .test-output/screenshots/ui-explorer-*.png
import * as assert from 'assert';
import * as path from 'path';
import { Locator, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import {
  activityItem,
  killTrainers,
  longRunConfig,
  openCommandPalette,
  viewPane,
  waitForWorkbench,
} from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';

function runRow(page: Page): Locator {
  return viewPane(page, 'Runs').getByRole('treeitem', { name: /explorer-\d{8}-\d{6}/ });
}

/** Retries `attempt` until it returns true or `timeoutMs` passes; never sleeps blindly. */
async function until(what: string, timeoutMs: number, attempt: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await attempt()) return;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${what}`);
  }
}

/**
 * Opens GRPO Lens from the activity bar and waits for its Runs view. After a window
 * reload the side bar may come back with the container already open (its title then
 * reads "GRPO Lens: Runs"), or still being restored while the extension host starts:
 * look for the Runs view itself, and click the activity bar item only while it is not.
 */
async function openRunsView(page: Page, timeoutMs = 120_000): Promise<void> {
  await waitForWorkbench(page, timeoutMs);
  const item = activityItem(page, 'GRPO Lens');
  const pane = viewPane(page, 'Runs');
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  let clickedAt = 0;
  await until('the Runs view to open', timeoutMs, async () => {
    if (await pane.isVisible()) return true;
    const checked = (await item.locator('xpath=..').getAttribute('aria-checked')) === 'true';
    // Checked but not showing for a while: the side bar is hidden, so the click shows it.
    if (!checked || Date.now() - clickedAt > 15_000) {
      await item.click();
      clickedAt = Date.now();
    }
    return pane
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
  });
}

/**
 * Right-clicks the row and chooses a menu item. A live run redraws its row about once a
 * second and the workbench is slow under load: if the menu did not close on the click
 * (it ignores a click that comes while it still opens), open it again and retry.
 */
async function chooseFromContextMenu(page: Page, row: Locator, label: string): Promise<void> {
  const menu = page.locator('.monaco-menu');
  const item = menu.locator('a.action-menu-item', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).first();
  await until(`choosing ${label} from the context menu`, 60_000, async () => {
    if (!(await menu.isVisible())) await row.click({ button: 'right' });
    if (
      !(await item.waitFor({ state: 'visible', timeout: 10_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      await page.keyboard.press('Escape');
      return false;
    }
    await item.click({ timeout: 10_000 }).catch(() => undefined);
    return menu
      .waitFor({ state: 'hidden', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
  });
}

/** The run's state, as the tree item's accessible name says it. */
async function waitForState(row: Locator, state: string, timeoutMs = 120_000): Promise<void> {
  await row
    .and(row.page().getByRole('treeitem', { name: new RegExp(`, ${state}, `) }))
    .waitFor({ timeout: timeoutMs });
}

describe('run explorer driven like a person', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = makeWorkspace({ files: { 'explorer.grpo.json': longRunConfig('explorer', 0) } });
    // The dashboard that Start Run opens is tested elsewhere; keep this window to the tree.
    wb = await launchWorkbench({ workspace, settings: { 'grpoLens.openDashboardOnStart': false } });
    await openRunsView(wb.page);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !wb) return;
    const shot = await wb.screenshot(`ui-explorer-failed-${this.currentTest.title}`).catch(() => '');
    if (shot) console.error(`      screenshot of the failure: ${path.relative(repoRoot, shot)}`);
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
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    const configRow = quickInput.locator('.quick-input-list .monaco-list-row', {
      hasText: 'explorer.grpo.json',
    });
    await configRow.first().waitFor({ timeout: 60_000 });
    await wb.screenshot('ui-explorer-pick-config');
    await configRow.first().click();
    const row = runRow(page);
    await row.waitFor({ timeout: 120_000 });
    await waitForState(row, 'running');
    await row.getByText(/reward/).waitFor({ timeout: 120_000 });
    await wb.screenshot('ui-explorer-running');
  });

  it('shows the context menu of a running run', async () => {
    const page = wb.page;
    const item = page.locator('.monaco-menu a.action-menu-item', { hasText: /^\s*Pause\s*$/ });
    await until('the context menu to show Pause', 60_000, async () => {
      await runRow(page).click({ button: 'right' });
      return item
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
    });
    await wb.screenshot('ui-explorer-context-menu');
    await page.keyboard.press('Escape');
    await page.locator('.monaco-menu').waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it('after a window reload, finds the run running again and pauses it', async () => {
    const page = wb.page;
    await page.reload();
    await openRunsView(page);
    const row = runRow(page);
    await waitForState(row, 'running');
    await wb.screenshot('ui-explorer-running-after-reload');
    await chooseFromContextMenu(page, row, 'Pause');
    await waitForState(row, 'paused');
    await wb.screenshot('ui-explorer-paused-after-reload');
  });

  it('summarises the paused run in its tooltip', async () => {
    const page = wb.page;
    const row = runRow(page);
    const hover = page.locator('.monaco-hover', { hasText: 'Model: tiny' });
    let text = '';
    // Read on the paused run: a running run's row redraws with every step, and VS Code
    // closes a tree item's hover when its row redraws. Still, leave the row and hover it
    // again until the hover shows, and read it while it does.
    await until('the tooltip to show', 90_000, async () => {
      await page.mouse.move(700, 500);
      await row.locator('.monaco-icon-label').hover({ timeout: 10_000 });
      if (
        !(await hover.waitFor({ state: 'visible', timeout: 3_000 }).then(
          () => true,
          () => false,
        ))
      )
        return false;
      text = (await hover.textContent({ timeout: 1_000 }).catch(() => null)) ?? '';
      await wb.screenshot('ui-explorer-tooltip');
      return text.includes('Model: tiny');
    });
    await page.mouse.move(700, 500);
    assert.match(text, /explorer-\d{8}-\d{6}/, text);
    assert.match(text, /Model: tiny/, text);
    assert.match(text, /Step \d+ of 100000/, text);
  });

  it('stops the run from the context menu', async () => {
    const page = wb.page;
    const row = runRow(page);
    await waitForState(row, 'paused');
    await chooseFromContextMenu(page, row, 'Stop');
    await waitForState(row, 'stopped');
    await wb.screenshot('ui-explorer-stopped');
  });
});
