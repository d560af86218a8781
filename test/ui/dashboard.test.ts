// A person starts a tiny run, opens its dashboard from the palette and watches the charts
// grow, opens the samples from the dashboard, and inspects a completion from there.
// Screenshots: .test-output/screenshots/ui-dashboard-*.png, ui-samples-*.png, ui-inspect-*.png
import * as assert from 'assert';
import type { FrameLocator, Page } from 'playwright-core';
import {
  killTrainers,
  longRunConfig,
  openCommandPalette,
  openViewContainer,
  settle,
  startRunFromPalette,
  viewPane,
  waitForWorkbench,
} from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';

/** The visible webview's content frame. */
function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

async function palette(page: Page, title: string): Promise<void> {
  const quickInput = await openCommandPalette(page, title);
  await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function points(frame: FrameLocator): Promise<number> {
  const text = (await frame.locator('.info').textContent()) ?? '';
  return Number(text.split(' ')[0].replace(/,/g, ''));
}

describe('dashboard, samples and inspection driven like a person', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = makeWorkspace({ files: { 'dash.grpo.json': longRunConfig('dash', 25) } });
    wb = await launchWorkbench({ workspace, viewport: { width: 1400, height: 900 } });
    await waitForWorkbench(wb.page);
    await openViewContainer(wb.page, 'GRPO Lens');
    await viewPane(wb.page, 'Runs').waitFor({ state: 'visible' });
    await startRunFromPalette(wb.page, 'dash.grpo.json');
    await viewPane(wb.page, 'Runs')
      .getByRole('treeitem', { name: /dash-\d{8}-\d{6}/ })
      .getByText(/reward/)
      .waitFor({ timeout: 90_000 });
  });

  after(async () => {
    await wb?.close();
    if (workspace) killTrainers(workspace);
  });

  it('opens the dashboard from the palette and its charts grow while the run trains', async () => {
    const page = wb.page;
    await palette(page, 'GRPO: Open Dashboard');
    const frame = webview(page);
    await frame.locator('.chart canvas').first().waitFor({ timeout: 60_000 });
    await frame.locator('[data-chart="reward"]').waitFor();
    const before = await points(frame);
    await settle(page, 4000);
    const after = await points(frame);
    assert.ok(after > before, `points grew: ${before} -> ${after}`);
    assert.match((await frame.locator('.header').textContent()) ?? '', /running|checkpointing/);
    await wb.screenshot('ui-dashboard-live');
  });

  it('opens the samples from the dashboard and shows groups of G = 4', async () => {
    const page = wb.page;
    await webview(page).locator('vscode-button', { hasText: 'Samples' }).click();
    await settle(page, 1000);
    const frame = webview(page);
    await frame.locator('.completion-row').first().waitFor({ timeout: 60_000 });
    const shown = (await frame.locator('.group-row .chip', { hasText: 'shown' }).first().textContent()) ?? '';
    assert.match(shown, /\/4 shown/);
    await wb.screenshot('ui-samples');
  });

  it('inspects a completion from the samples panel: an editor with coloured tokens', async () => {
    const page = wb.page;
    const frame = webview(page);
    // stop following the live run so the step (and the selection) stays put
    await frame.locator('vscode-checkbox', { hasText: 'Follow live' }).click();
    await settle(page, 500);
    await frame.locator('.list').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    const tab = page.locator('.tabs-container .tab', { hasText: /completion-\d+\.txt/ });
    await tab.first().waitFor({ timeout: 30_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: '# GRPO Lens' }).first().waitFor();
    await settle(page, 1000);
    await wb.screenshot('ui-inspect');
    const quickInput = await openCommandPalette(page, 'GRPO: Choose Token Measure');
    await quickInput
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Choose Token Measure' })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'KL (k3)' }).first().click();
    await settle(page, 1000);
    await wb.screenshot('ui-inspect-kl');
    // hover the first token of the completion (the line after the rule)
    const body = editor.locator('.view-line').filter({ hasText: '─────' }).first();
    const box = (await body.boundingBox())!;
    // on the first character: a completion can be as short as "9"
    await page.mouse.move(box.x + 4, box.y + box.height * 1.5);
    await page.locator('.monaco-hover', { hasText: 'policy log-prob' }).first().waitFor({ timeout: 15_000 });
    // checkpoints every 25 steps export ONNX: the hover shows the model's alternatives
    await page
      .locator('.monaco-hover', { hasText: 'reference' })
      .locator('th', { hasText: 'policy' })
      .first()
      .waitFor({ timeout: 15_000 });
    await settle(page, 500);
    await wb.screenshot('ui-inspect-hover');
  });

  it('restores the dashboard after a window reload (the run id is in the webview state)', async () => {
    const page = wb.page;
    await page.reload();
    await waitForWorkbench(page);
    const tab = page.locator('.tabs-container .tab', { hasText: 'Dashboard' }).first();
    await tab.waitFor({ timeout: 30_000 });
    await tab.click();
    await webview(page).locator('.chart canvas').first().waitFor({ timeout: 60_000 });
    assert.match((await webview(page).locator('.header .title').textContent()) ?? '', /dash/);
    await settle(page, 1000);
    await wb.screenshot('ui-dashboard-restored');
  });
});
