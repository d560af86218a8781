// A person starts a run whose reward file raises on import (issue 11, defect 8): the run
// appears in the Runs tree as failed, and the workbench says why. Screenshots:
// .test-output/screenshots/ui-failed-start-*.png
import * as assert from 'assert';
import { repoRoot } from '../harness/paths';
import { openViewContainer, settle, startRunFromPalette, viewPane, waitForWorkbench } from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';
import { configWithUserReward } from '../fixtures/writers/userRewardConfig';

function brokenConfig(): string {
  return configWithUserReward(repoRoot, 'broken-start', {
    name: 'mine',
    entry: 'broken_reward:score',
    weight: 1.0,
  });
}

describe('a run that fails before it trains, seen like a person', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    const workspace = makeWorkspace({
      files: {
        'broken-start.grpo.json': brokenConfig(),
        'broken_reward.py': "raise RuntimeError('no such table: answers')\n",
      },
    });
    wb = await launchWorkbench({ workspace });
    await waitForWorkbench(wb.page, 120_000);
    await openViewContainer(wb.page, 'GRPO Lens');
  });

  after(async () => wb?.close());

  it('shows the run as failed in the Runs tree, with the reason', async () => {
    const page = wb.page;
    await startRunFromPalette(page, 'broken-start.grpo.json');
    const row = viewPane(page, 'Runs').getByRole('treeitem', { name: /broken-start.*, failed, / });
    await row.waitFor({ timeout: 120_000 });
    await row.click();
    await settle(page);
    await wb.screenshot('ui-failed-start-tree');
    // the failure notification says why, in the workbench itself (the dashboard opened too)
    const toast = page.locator('.notifications-toasts').filter({ hasText: 'no such table: answers' });
    await toast.first().waitFor({ timeout: 30_000 });
    assert.match(await toast.first().innerText(), /broken-start.*failed.*broken_reward/s);
    await settle(page);
    await wb.screenshot('ui-failed-start-reason');
  });
});
