// A person opens the runs table from the run explorer's title bar: runs of ours (a beta
// sweep, two tagged) and a TRL run, sorted by a click on a header; then tags the TRL run
// from the tree's context menu and sees the tags in the tree and the table.
// Screenshots: .test-output/screenshots/ui-runs-table.png, ui-runs-table-tags.png
import * as assert from 'assert';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { EventFileWriter } from '../fixtures/writers/tfevents';
import { TrlRunWriter } from '../fixtures/writers/trlRun';
import { openViewContainer, settle, viewPane, waitForWorkbench } from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';

function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

/** Four runs of ours: a beta sweep, rewards rising to different heights. */
function ourRuns(): Record<string, string | object> {
  const files: Record<string, string | object> = {};
  [0, 0.01, 0.04, 0.1].forEach((beta, i) => {
    const dir = `runs/beta-${beta}`;
    const config = {
      name: `beta-${beta}`,
      beta,
      num_generations: 8,
      loss_type: 'grpo',
      learning_rate: 0.001,
    };
    files[`${dir}/run.json`] = {
      format: 'grpo-lens/1',
      name: `beta-${beta}`,
      config,
      created: 1767268800 + i * 600,
    };
    files[`${dir}/status.json`] = {
      state: 'finished',
      step: 50,
      total_steps: 50,
      updated: 1767268800 + i * 600 + 300,
    };
    files[`${dir}/metrics.jsonl`] = Array.from({ length: 50 }, (_, s) =>
      JSON.stringify({
        step: s + 1,
        reward: ((s + 1) / 50) * (0.3 + i * 0.2),
        kl: beta / 10,
        entropy: 1 - s / 100,
      }),
    ).join('\n');
    if (i < 2)
      files[`${dir}/tags.json`] = { format: 'grpo-lens-tags/1', tags: ['sweep:beta', `beta=${beta}`] };
  });
  return files;
}

function writeTrl(workspace: string): void {
  const dir = path.join(workspace, 'outputs', 'qwen-grpo');
  const writer = new TrlRunWriter(dir, {
    rewardFuncs: ['accuracy_reward'],
    numGenerations: 4,
    promptsPerStep: 2,
    maxSteps: 200,
    saveSteps: 20,
  });
  writer.steps(20);
  const events = new EventFileWriter(path.join(dir, 'runs', 'Nov30_22-00-00_gpu1'));
  events.addText(
    'args',
    JSON.stringify({ num_generations: 4, learning_rate: 1e-6, beta: 0.04, loss_type: 'dr_grpo' }),
    0,
  );
  for (const entry of writer.logHistory)
    for (const [key, value] of Object.entries(entry))
      if (key !== 'step' && typeof value === 'number') events.addScalar(`train/${key}`, value, entry.step);
}

describe('runs table, as a person uses it', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    const workspace = makeWorkspace({ files: ourRuns() });
    writeTrl(workspace);
    wb = await launchWorkbench({ workspace, viewport: { width: 1500, height: 900 } });
    await waitForWorkbench(wb.page);
    await openViewContainer(wb.page, 'GRPO Lens');
    await viewPane(wb.page, 'Runs')
      .getByRole('treeitem', { name: /qwen-grpo/ })
      .waitFor({ timeout: 60_000 });
  });

  after(async () => wb?.close());

  it('opens from the run explorer’s title bar with every run, and sorts by a header', async () => {
    // A view's title bar buttons show while the pointer is over the side bar.
    await wb.page.locator('.part.sidebar').hover();
    await wb.page
      .locator('.part.sidebar .action-label[aria-label="Show Runs Table"] >> visible=true')
      .first()
      .click();
    const frame = webview(wb.page);
    await frame.locator('.row.run').nth(4).waitFor({ timeout: 60_000 });
    assert.strictEqual(await frame.locator('.row.run').count(), 5);
    await frame
      .locator('.row.run', { hasText: 'TRL' })
      .locator('[data-column="config:loss_type"]', { hasText: 'dr_grpo' })
      .waitFor();
    await frame.locator('.cell.head', { hasText: /^reward best$/ }).click();
    await frame.locator('.cell.head.sorted[data-column="metric:reward:best"]').waitFor();
    const names = await frame.locator('.row.run .name-text').allTextContents();
    assert.strictEqual(names[0], 'beta-0.1', `highest best reward first: ${names.join(', ')}`);
    await frame.locator('.table').evaluate((el) => el.scrollTo(0, 0));
    await settle(wb.page, 1000);
    await wb.screenshot('ui-runs-table');
  });

  it('tags the TRL run from the tree; the tags show in the tree and the table', async () => {
    const row = viewPane(wb.page, 'Runs').getByRole('treeitem', { name: /qwen-grpo/ });
    const input = wb.page.locator('.quick-input-widget input');
    // The menu ignores a click that comes while it still opens: choose again while it stays open.
    const menu = wb.page.locator('.monaco-menu');
    const item = menu.locator('a.action-menu-item', { hasText: /^\s*Edit Tags…\s*$/ }).first();
    await row.click({ button: 'right' });
    for (let attempt = 0; attempt < 5; attempt++) {
      await item.waitFor({ timeout: 10_000 });
      await wb.page.waitForTimeout(300);
      await item.click();
      const closed = await menu.waitFor({ state: 'hidden', timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      if (closed) break;
    }
    await input.waitFor({ timeout: 60_000 });
    await input.fill('baseline, lr=1e-6');
    await wb.page.keyboard.press('Enter');
    await row.getByText(/#baseline #lr=1e-6/).waitFor({ timeout: 30_000 });
    const frame = webview(wb.page);
    await frame
      .locator('.row.run', { hasText: 'TRL' })
      .locator('.tag', { hasText: 'baseline' })
      .waitFor({ timeout: 30_000 });
    await settle(wb.page, 1000);
    await wb.screenshot('ui-runs-table-tags');
  });
});
