// A person queues a sweep of 3 tiny runs with GRPO: Queue Runs…, and watches the Queue
// view start them one after another while the Runs view fills in.
// Screenshots: .test-output/screenshots/ui-queue-*.png
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { killTrainers, openCommandPalette, openViewContainer, viewPane } from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';

/** The shipped tiny-test config, a few seconds long on two cores. */
function quickConfig(): string {
  return fs
    .readFileSync(path.join(repoRoot, 'trainer/configs/tiny-test.grpo.json'), 'utf8')
    .replace(/"\$schema":[^\n]*\n/, '')
    .replace(/"max_steps":\s*\d+/, '"max_steps": 60');
}

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
    workspace = makeWorkspace({ files: { 'qbase.grpo.json': quickConfig(), 'three.sweep.json': SWEEP } });
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
    const quickInput = await openCommandPalette(page, 'GRPO: Queue Runs');
    await quickInput
      .locator('.quick-input-list .monaco-list-row', { hasText: 'GRPO: Queue Runs' })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
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
});
