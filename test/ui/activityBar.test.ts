// A person opens GRPO Lens from the activity bar, sees the Runs view, and finds its
// commands in the command palette.
import * as assert from 'assert';
import { launchWorkbench, Workbench } from '../harness/workbench';
import {
  activityItem,
  openCommandPalette,
  openViewContainer,
  settle,
  viewPane,
  waitForWorkbench,
} from '../harness/ui';

describe('activity bar and command palette', function () {
  this.timeout(120_000);
  let wb: Workbench;

  before(async () => {
    wb = await launchWorkbench();
    await waitForWorkbench(wb.page);
  });

  after(async () => {
    await wb?.close();
  });

  it('shows the GRPO Lens container in the activity bar', async () => {
    const item = activityItem(wb.page, 'GRPO Lens');
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await settle(wb.page);
    await wb.screenshot('ui-activity-bar');
  });

  it('opens the Runs view with its welcome content', async () => {
    await openViewContainer(wb.page, 'GRPO Lens');
    const runs = viewPane(wb.page, 'Runs');
    await runs.waitFor({ state: 'visible' });
    const welcome = runs.locator('.welcome-view-content');
    await welcome.getByText('No GRPO runs in this workspace yet.').waitFor({ timeout: 30_000 });
    await welcome.getByRole('button', { name: 'Start Run' }).waitFor();
    await wb.screenshot('ui-runs-view');
  });

  it('lists GRPO commands in the command palette', async () => {
    const quickInput = await openCommandPalette(wb.page, 'GRPO:');
    const rows = quickInput.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'GRPO: ' }).first().waitFor({ timeout: 30_000 });
    const labels = await rows.allTextContents();
    await wb.screenshot('ui-command-palette');
    await wb.page.keyboard.press('Escape');
    // The list renders only the rows that fit: look for one near its top.
    assert.ok(
      labels.some((l) => l.includes('GRPO: Check Environment')),
      `palette rows: ${labels.join(' | ')}`,
    );
  });
});
