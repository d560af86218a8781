// A person queues a sweep of 3 tiny runs with GRPO: Queue Runs…, and watches the Queue
// view start them one after another while the Runs view fills in; then compares the three.
// Screenshots: .test-output/screenshots/ui-queue-*.png
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import {
  chooseFromContextMenu,
  killTrainers,
  openViewContainer,
  selectTreeRows,
  settle,
  until,
  viewPane,
} from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';
import { openQueueRuns, openQueueView, quickConfig } from './queuePick';

const SWEEP = `{
  // three seeds of the tiny run, one after another
  "name": "three",
  "base": "qbase.grpo.json",
  "grid": {"seed": [1, 2, 3]}
}
`;

/** The Queue view's rows as their accessible names say them: "three-1, running", … */
async function queueRows(page: Page): Promise<string[]> {
  const labels = await viewPane(page, 'Queue')
    .getByRole('treeitem')
    .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label') ?? ''));
  return labels.map((l) => l.replace(/ · .*$/, ''));
}

describe('queue a sweep driven like a person', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = makeWorkspace({
      files: {
        'qbase.grpo.json': quickConfig(60),
        'three.sweep.json': SWEEP,
        // long enough (several seconds each) that VS Code is closed while again-1 trains, and the
        // window opened again, not the closing one, starts again-2
        'qlong.grpo.json': quickConfig(250),
        'again.sweep.json': SWEEP.replace('"three"', '"again"')
          .replace('qbase.grpo.json', 'qlong.grpo.json')
          .replace('[1, 2, 3]', '[4, 5, 6]'),
      },
    });
    wb = await launchWorkbench({ workspace, settings: { 'grpoLens.openDashboardOnStart': false } });
    await openViewContainer(wb.page, 'GRPO Lens');
    await viewPane(wb.page, 'Queue').waitFor({ timeout: 120_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !wb) return;
    const shot = await wb.screenshot(`ui-queue-failed-${this.currentTest.title}`).catch(() => '');
    if (shot) console.error(`      screenshot of the failure: ${path.relative(repoRoot, shot)}`);
  });

  after(async () => {
    await wb?.close();
    if (workspace) killTrainers(workspace);
  });

  it('queues the sweep from the palette and runs its 3 runs one after another', async () => {
    const page = wb.page;
    const quickInput = await openQueueRuns(page);
    const sweepRow = quickInput.locator('.quick-input-list .monaco-list-row', {
      hasText: 'three.sweep.json',
    });
    await sweepRow.first().waitFor({ timeout: 60_000 });
    await sweepRow.first().click(); // ticks it
    await quickInput.locator('.quick-input-list .monaco-list-row[aria-checked="true"]').first().waitFor();
    await wb.screenshot('ui-queue-pick');
    await page.keyboard.press('Enter');

    // Watch the view: never two running at once, each started after the one before ended.
    const seen: string[][] = [];
    let shotWhileSecondRuns = false;
    const deadline = Date.now() + 240_000;
    for (;;) {
      const rows = await queueRows(page);
      if (rows.join('|') !== seen[seen.length - 1]?.join('|')) seen.push(rows);
      assert.ok(
        rows.filter((r) => r.endsWith(', running')).length <= 1,
        `two running at once: ${rows.join('; ')}`,
      );
      if (!shotWhileSecondRuns && rows.join('|') === 'three-1, done|three-2, running|three-3, pending') {
        await wb.screenshot('ui-queue-second-running');
        shotWhileSecondRuns = true;
      }
      if (rows.length === 3 && rows.every((r) => r.endsWith(', done'))) break;
      if (Date.now() > deadline) throw new Error(`the sweep did not finish; seen: ${JSON.stringify(seen)}`);
      await page.waitForTimeout(200);
    }
    const running = seen.flatMap((rows) => rows.filter((r) => r.endsWith(', running')));
    assert.deepStrictEqual(
      [...new Set(running)],
      ['three-1, running', 'three-2, running', 'three-3, running'],
      `each ran, in order: ${JSON.stringify(seen)}`,
    );
    const runRows = viewPane(page, 'Runs').getByRole('treeitem', { name: /three-\d-\d{8}-\d{6}/ });
    await page.waitForFunction(
      () => document.querySelectorAll('.sidebar [role="treeitem"][aria-label*="finished"]').length >= 3,
      undefined,
      { timeout: 60_000 },
    );
    assert.strictEqual(await runRows.count(), 3, 'the Runs view lists the 3 runs');
    await wb.screenshot('ui-queue-all-done');
  });

  it('compares the 3 runs of the sweep, selected in the Runs view', async () => {
    const page = wb.page;
    const row = (i: number) =>
      viewPane(page, 'Runs')
        .getByRole('treeitem', { name: new RegExp(`three-${i}-\\d{8}`) })
        .first();
    await selectTreeRows([row(1), row(2), row(3)]);
    await chooseFromContextMenu(page, row(3), 'Compare Runs…');
    const frame = page
      .frameLocator('iframe.webview.ready >> visible=true')
      .frameLocator('iframe#active-frame');
    await frame.locator('[data-chart="reward"] canvas').waitFor({ timeout: 60_000 });
    await until(
      'the 3 runs in the legend',
      30_000,
      async () => (await frame.locator('.legend .run').count()) === 3,
    );
    const names = (await frame.locator('.legend .name').allTextContents()).map((n) =>
      n.replace(/-\d{8}-\d{6}$/, ''),
    );
    assert.deepStrictEqual([...names].sort(), ['three-1', 'three-2', 'three-3']);
    await settle(page, 800);
    await wb.screenshot('ui-queue-compared');
  });

  it('queues a sweep from the explorer and goes on with it after VS Code is closed and opened again', async () => {
    let page = wb.page;
    await openViewContainer(page, 'Explorer');
    const file = page.locator('.explorer-folders-view').getByRole('treeitem', { name: /again\.sweep\.json/ });
    await file.waitFor({ timeout: 60_000 });
    const item = page.locator('.monaco-menu a.action-menu-item', { hasText: /^\s*Queue Sweep\s*$/ });
    await file.click({ button: 'right' });
    await item.first().waitFor({ timeout: 30_000 });
    await wb.screenshot('ui-queue-explorer-menu');
    await item.first().click();
    await openViewContainer(page, 'GRPO Lens');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[role="treeitem"]')].some(
          (e) => e.getAttribute('aria-label') === 'again-1, running',
        ),
      undefined,
      { timeout: 120_000 },
    );
    await wb.close(); // VS Code closed while again-1 trains; its trainer goes on (detached)
    const reopenedAt = Date.now();
    wb = await launchWorkbench({ workspace, settings: { 'grpoLens.openDashboardOnStart': false } });
    page = wb.page;
    await openQueueView(page);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[role="treeitem"]')].filter((e) =>
          /^again-\d, done/.test(e.getAttribute('aria-label') ?? ''),
        ).length === 3,
      undefined,
      { timeout: 180_000 },
    );
    const saved = JSON.parse(fs.readFileSync(path.join(workspace, '.grpo-lens', 'queue.json'), 'utf8')) as {
      entries: { name: string; startedAt: number; detail?: string }[];
    };
    const again = saved.entries.filter((e) => e.name.startsWith('again-'));
    assert.deepStrictEqual(
      again.map((e) => [e.name, e.detail]),
      [1, 2, 3].map((i) => [`again-${i}`, 'finished']),
    );
    assert.ok(again[0].startedAt < reopenedAt, 'again-1 started before VS Code was closed');
    assert.ok(again[1].startedAt > reopenedAt, 'again-2 was started by the window opened again');
    assert.ok(again[2].startedAt > again[1].startedAt);
    await wb.screenshot('ui-queue-after-reopen');
  });
});
