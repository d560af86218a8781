// Drives the workbench like a person: activity bar, views, command palette.
import { Locator, Page } from 'playwright-core';

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
  const checked = await item.locator('xpath=..').getAttribute('aria-checked');
  if (checked !== 'true') await item.click();
  await page.locator('.sidebar .composite.title').getByText(title, { exact: false }).first().waitFor();
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
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  await page.keyboard.press('F1');
  await quickInput.waitFor({ state: 'visible' });
  const input = quickInput.locator('input');
  await input.fill(`>${query}`);
  return quickInput;
}

/** Runs a command from the palette by its full title, e.g. 'GRPO: Refresh'. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const quickInput = await openCommandPalette(page, title);
  await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await quickInput.waitFor({ state: 'hidden' });
}

/** Lets lazily loaded icons and fonts paint before a screenshot. */
export async function settle(page: Page, ms = 500): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  await page.waitForTimeout(ms);
}
