// Drives the workbench like a person: activity bar, views, command palette; and the
// long-running trainer such a test starts and must leave none of.
import * as fs from 'fs';
import * as path from 'path';
import { Locator, Page } from 'playwright-core';
import { repoRoot } from './paths';

/** Waits until the workbench has rendered its activity bar. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench .activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The activity-bar entry of a view container, by its title (e.g. 'GRPO Lens'). */
export function activityItem(page: Page, title: string): Locator {
  return page.locator(`.activitybar a.action-label[aria-label^="${title}"]`);
}

/** Clicks a view container in the activity bar and waits for its side bar. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = activityItem(page, title);
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  // Shown when its activity-bar entry is checked and the side bar is up. (The side bar's
  // title reads "GRPO Lens" or "GRPO Lens: Runs" depending on how many views it shows, so
  // it is not what to wait for; after a reload a click can also land before the bar is live.)
  await until(`the ${title} side bar`, 30_000, async () => {
    const checked = (await item.locator('xpath=..').getAttribute('aria-selected')) === 'true';
    if (checked && (await page.locator('.sidebar').isVisible())) return true;
    if (!checked) await item.click().catch(() => undefined);
    await page.waitForTimeout(500);
    return false;
  });
}

/** A view's pane in the side bar by its name (e.g. 'Runs'). */
export function viewPane(page: Page, name: string): Locator {
  return page.locator('.sidebar .pane').filter({
    has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${name}`, 'i') }),
  });
}

/** Opens the command palette (F1) with a query typed after '>'; returns the quick input. */
export async function openCommandPalette(page: Page, query: string): Promise<Locator> {
  const quickInput = page.locator('.quick-input-widget');
  const input = quickInput.locator('.quick-input-box input');
  // Under load a key press can land while the workbench moves focus (a view opening, the
  // extension activating) and be lost, or the palette can open and close again when that
  // focus change comes a moment later: open it again until the query is typed into it.
  for (let attempt = 1; ; attempt++) {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await page.keyboard.press('F1');
    const typed = await quickInput
      .waitFor({ state: 'visible', timeout: 10_000 })
      .then(() => input.fill(`>${query}`, { timeout: 10_000 }))
      .then(async () => (await input.inputValue()) === `>${query}` && (await quickInput.isVisible()))
      .catch(() => false);
    if (typed) return quickInput;
    if (attempt === 3) throw new Error(`could not type "${query}" into the command palette, three times`);
    await page.keyboard.press('Escape');
  }
}

/** Runs a command from the palette by its full title, e.g. 'GRPO: Refresh'. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const quickInput = await openCommandPalette(page, title);
  await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await quickInput.waitFor({ state: 'hidden' });
}

/** GRPO: Start Run from the palette, then a click on the row of its pick that has `pick`
 * (a config file, or a launch profile's description). */
export async function startRunFromPalette(page: Page, pick: string): Promise<void> {
  const quickInput = await openCommandPalette(page, 'GRPO: Start Run');
  await quickInput
    .locator('.quick-input-list .monaco-list-row', { hasText: 'GRPO: Start Run' })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  const row = quickInput.locator('.quick-input-list .monaco-list-row', { hasText: pick });
  await row.first().waitFor({ timeout: 30_000 });
  await row.first().click();
}

/** Lets lazily loaded icons and fonts paint before a screenshot. */
export async function settle(page: Page, ms = 500): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await page.waitForTimeout(ms);
}

/** The tiny-test config named `name`, long enough to control (100 000 steps). */
export function longRunConfig(name: string, checkpointEvery: number): string {
  return fs
    .readFileSync(path.join(repoRoot, 'trainer/configs/tiny-test.grpo.json'), 'utf8')
    .replace(/"\$schema":[^\n]*\n/, '')
    .replace(/"name":\s*"[^"]*"/, `"name": "${name}"`)
    .replace(/"max_steps":\s*\d+/, '"max_steps": 100000')
    .replace(/"checkpoint_every":\s*\d+/, `"checkpoint_every": ${checkpointEvery}`);
}

/** Kills whatever trainer the workspace's runs still name (the test must leave none). */
export function killTrainers(workspace: string): void {
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

/** Polls `probe` until it is true, or throws naming `what` after `ms`. */
export async function until(what: string, ms: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Right-clicks `row` and chooses `label` from its context menu (again if a click was lost). */
export async function chooseFromContextMenu(page: Page, row: Locator, label: string): Promise<void> {
  const menu = page.locator('.monaco-menu');
  const item = menu.locator('a.action-menu-item', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).first();
  await until(`choosing ${label}`, 60_000, async () => {
    if (!(await menu.isVisible())) await row.click({ button: 'right' });
    const shown = await item.waitFor({ state: 'visible', timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (!shown) {
      await page.keyboard.press('Escape');
      return false;
    }
    await item.click({ timeout: 10_000 }).catch(() => undefined);
    return menu.waitFor({ state: 'hidden', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
  });
}

/**
 * Selects tree rows as a person does (click the first, Ctrl-click the others) until every one
 * reads as selected: a click can be lost while the tree redraws (a run's state or its run
 * doctor's findings arriving).
 */
export async function selectTreeRows(rows: Locator[]): Promise<void> {
  await until(`${rows.length} rows selected`, 60_000, async () => {
    await rows[0].click();
    for (const row of rows.slice(1)) await row.click({ modifiers: ['Control'] });
    const selected = await Promise.all(rows.map((r) => r.getAttribute('aria-selected')));
    return selected.every((s) => s === 'true');
  });
}
