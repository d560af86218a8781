// A person opens a workspace with a run that went wrong (written by our trainer's writer:
// KL spikes at step 40, the loss turns NaN at 55), sees the error notification, expands
// the run's Problems child in the Runs tree, and clicks a finding: the dashboard opens at
// its step with markers on the charts concerned; hovering one explains it.
// Screenshots: .test-output/screenshots/ui-doctor-*.png
import * as assert from 'assert';
import type { FrameLocator, Page } from 'playwright-core';
import { screenshotDir } from '../harness/paths';
import { openViewContainer, settle, viewPane, waitForWorkbench } from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';
import * as path from 'path';

function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

describe('run doctor driven like a person', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    const workspace = makeWorkspace({ from: 'test/fixtures/doctor' });
    wb = await launchWorkbench({ workspace, viewport: { width: 1400, height: 900 } });
    await waitForWorkbench(wb.page);
    await openViewContainer(wb.page, 'GRPO Lens');
    await viewPane(wb.page, 'Runs').waitFor({ state: 'visible' });
  });

  after(async () => wb?.close());

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });

  it('notifies the NaN, shows a Problems child under the run, and opens the dashboard at a finding', async () => {
    const page = wb.page;
    const runs = viewPane(page, 'Runs');
    const toast = page.locator('.notification-toast', { hasText: /GRPO run provoked:/ });
    await toast.first().waitFor({ timeout: 90_000 });
    assert.ok(await toast.first().getByRole('button', { name: 'Open Dashboard' }).isVisible());
    assert.strictEqual(
      await toast.first().getByRole('button', { name: 'Pause' }).count(),
      0,
      'a failed run has no Pause',
    );
    const run = runs.getByRole('treeitem', { name: /^provoked/ });
    await run.waitFor({ timeout: 60_000 });
    const problems = runs.getByRole('treeitem', { name: /^Problems/ });
    // the run becomes expandable once the doctor has examined it
    for (let i = 0; i < 20 && !(await problems.isVisible()); i++) {
      if ((await run.getAttribute('aria-expanded')) === 'false')
        await run.locator('.monaco-tl-twistie').click();
      await page.waitForTimeout(500);
    }
    await shot(page, 'ui-doctor-tree-expanding');
    await problems.waitFor({ timeout: 30_000 });
    const finding = runs.getByRole('treeitem', { name: /KL/ }).first();
    await finding.waitFor({ timeout: 30_000 });
    await settle(page);
    await shot(page, 'ui-doctor-tree');
    await finding.click();
    const frame = webview(page);
    const marker = frame.locator('[data-chart="kl"] .finding-marker');
    await marker.first().waitFor({ timeout: 60_000 });
    assert.strictEqual(await marker.first().getAttribute('data-step'), '40');
    await marker.first().hover();
    await frame.locator('[data-chart="kl"] .finding-tip').waitFor({ state: 'visible' });
    assert.match(await frame.locator('[data-chart="kl"] .finding-tip').innerText(), /Why it matters/);
    await settle(page);
    await shot(page, 'ui-doctor-dashboard');
  });

  it('does not notify the same run again after a window reload (remembered in workspaceState)', async () => {
    const page = wb.page;
    await page.reload();
    await waitForWorkbench(page);
    const runs = viewPane(page, 'Runs');
    if (!(await runs.isVisible().catch(() => false))) await openViewContainer(page, 'GRPO Lens');
    const run = runs.getByRole('treeitem', { name: /^provoked/ });
    await run.waitFor({ timeout: 90_000 });
    // the doctor has examined the run again once the run can be expanded to its Problems child
    await page.waitForFunction(
      () => {
        const row = [...document.querySelectorAll('[role="treeitem"]')].find((r) =>
          (r.getAttribute('aria-label') ?? '').startsWith('provoked'),
        );
        return (
          row?.getAttribute('aria-expanded') !== null && row?.getAttribute('aria-expanded') !== undefined
        );
      },
      undefined,
      { timeout: 90_000 },
    );
    await page.waitForTimeout(3000);
    const toasts = await page.locator('.notification-toast', { hasText: /GRPO run provoked:/ }).count();
    await shot(page, 'ui-doctor-after-reload');
    assert.strictEqual(toasts, 0, 'no second notification for the same run');
  });
});
