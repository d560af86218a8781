// What the queue UI tests share: a tiny config of the shipped trainer, and GRPO: Queue Runs…
// opened from the palette, the Queue view opened.
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { openCommandPalette, openViewContainer, viewPane } from '../harness/ui';

/** The shipped tiny-test config, `maxSteps` steps long (a few seconds on two cores for 60). */
export function quickConfig(maxSteps: number): string {
  return fs
    .readFileSync(path.join(repoRoot, 'trainer/configs/tiny-test.grpo.json'), 'utf8')
    .replace(/"\$schema":[^\n]*\n/, '')
    .replace(/"max_steps":\s*\d+/, `"max_steps": ${maxSteps}`);
}

/** Runs GRPO: Queue Runs from the palette; resolves with its quick pick. */
export async function openQueueRuns(page: Page): Promise<Locator> {
  const quickInput = await openCommandPalette(page, 'GRPO: Queue Runs');
  await quickInput
    .locator('.quick-input-list .monaco-list-row', { hasText: 'GRPO: Queue Runs' })
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  return quickInput;
}

/** The GRPO Lens side bar with its Queue view open (it starts collapsed in a fresh profile). */
export async function openQueueView(page: Page): Promise<void> {
  await openViewContainer(page, 'GRPO Lens');
  const header = viewPane(page, 'Queue').locator('.pane-header');
  await header.waitFor({ timeout: 60_000 });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
}
