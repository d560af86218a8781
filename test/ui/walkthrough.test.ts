// A person installs GRPO Lens and opens a folder with a config: the walkthrough "Get started
// with GRPO Lens" opens by itself, its step buttons run the commands and tick the steps,
// New Config from Template offers its three starts, and after a reload the walkthrough
// stays closed until GRPO: Get Started asks for it. Screenshots: ui-walkthrough*.png
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Locator, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { longRunConfig, runCommand, settle, waitForWorkbench } from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';

const TITLE = 'Get started with GRPO Lens';

function walkthrough(page: Page): Locator {
  return page.locator('.gettingStartedContainer').filter({ hasText: TITLE });
}

/** A step of the walkthrough by its id in package.json (the DOM id is <walkthrough>#<step>). */
function step(page: Page, id: string): Locator {
  return walkthrough(page).locator(`button.getting-started-step[data-step-id$="${id}"]`);
}

async function waitForChecked(page: Page, id: string): Promise<void> {
  await walkthrough(page)
    .locator(`button.getting-started-step[data-step-id$="${id}"][aria-checked="true"]`)
    .waitFor({ timeout: 30_000 });
}

/** Expands a step and clicks the button in its text that runs `label`'s command. */
async function clickStepButton(page: Page, id: string, label: string): Promise<void> {
  await step(page, id).click();
  const button = step(page, id).locator('.step-description-container .monaco-button', { hasText: label });
  await button.first().waitFor({ timeout: 30_000 });
  await button.first().click();
}

/**
 * Closes whatever quick input the command opened (a pick, a folder dialog), if it is still
 * open: a pick without ignoreFocusOut closes by itself when the walkthrough redraws the
 * step it just ticked and takes the focus.
 */
async function dismissQuickInput(page: Page): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  // A pick that keeps its focus (ignoreFocusOut) stays open while the walkthrough has the
  // keyboard: focus its input first, then Escape closes it.
  if (await quickInput.isVisible()) {
    await quickInput.locator('input').click();
    await page.keyboard.press('Escape');
  }
  await quickInput.waitFor({ state: 'hidden', timeout: 10_000 });
}

describe('the Get Started walkthrough, as a new user meets it', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    // A config in the folder activates GRPO Lens (workspaceContains:**/*.grpo.json).
    workspace = makeWorkspace({ files: { 'first.grpo.json': longRunConfig('first', 0) } });
    wb = await launchWorkbench({
      workspace,
      // VS Code's default; said here so that quiet harness settings cannot turn it off.
      userSettings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
    });
    await waitForWorkbench(wb.page, 120_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !wb) return;
    const shot = await wb.screenshot(`ui-walkthrough-failed-${this.currentTest.title}`).catch(() => '');
    if (shot) console.error(`      screenshot of the failure: ${path.relative(repoRoot, shot)}`);
  });

  after(async () => {
    await wb?.close();
  });

  it('opens by itself on the first start, with five steps none of them done', async () => {
    const page = wb.page;
    await walkthrough(page).waitFor({ timeout: 120_000 });
    const ids = await walkthrough(page)
      .locator('button.getting-started-step')
      .evaluateAll((steps) => steps.map((s) => (s.getAttribute('data-step-id') ?? '').split('#').pop()));
    assert.deepStrictEqual(ids, ['checkEnvironment', 'newConfig', 'startRun', 'samples', 'otherTrainers']);
    const checked = await walkthrough(page)
      .locator('button.getting-started-step[aria-checked="true"]')
      .count();
    assert.strictEqual(checked, 0);
    await settle(page);
    await wb.screenshot('ui-walkthrough-first-start');
  });

  it('after a reload stays closed, and GRPO: Get Started opens it again', async () => {
    const page = wb.page;
    await runCommand(page, 'View: Close All Editors');
    await walkthrough(page).waitFor({ state: 'hidden', timeout: 10_000 });
    // Reload Window shuts the workbench down properly, so the closed editors are saved as
    // closed (a bare page reload can restore the ones it had open a moment before).
    await runCommand(page, 'Developer: Reload Window');
    await page
      .locator('.gettingStartedContainer, .monaco-workbench')
      .first()
      .waitFor({ state: 'detached', timeout: 30_000 })
      .catch(() => undefined);
    await waitForWorkbench(page, 120_000);
    await page.waitForTimeout(10_000); // a bounded look for something that must not appear
    assert.strictEqual(await walkthrough(page).count(), 0, 'the walkthrough opened by itself a second time');
    await runCommand(page, 'GRPO: Get Started');
    await walkthrough(page).waitFor({ timeout: 30_000 });
  });
  it('creates a Hugging Face GPU config from the template step and ticks it', async () => {
    const page = wb.page;
    await clickStepButton(page, 'newConfig', 'New Config from Template');
    const quickInput = page.locator('.quick-input-widget');
    const rows = quickInput.locator('.quick-input-list .monaco-list-row:visible');
    await rows.first().waitFor({ timeout: 30_000 });
    // The first label of each row is its title; the second its detail.
    const labels = await rows.evaluateAll((list) =>
      list.map((row) => row.querySelector('.label-name')?.textContent ?? ''),
    );
    assert.deepStrictEqual(labels, [
      'CPU demo',
      'Hugging Face model on a GPU',
      'Read a TRL or verl run folder',
    ]);
    await wb.screenshot('ui-walkthrough-templates');
    await rows.filter({ hasText: 'Hugging Face model on a GPU' }).click();
    // The name box replaces the pick in the same widget: type only once it asks for the name,
    // or the text lands in the closing pick and the box opens with its default name.
    await quickInput.getByText('Name of the config').waitFor({ timeout: 30_000 });
    const nameBox = quickInput.locator('.quick-input-box input');
    await nameBox.fill('gpu-run');
    assert.strictEqual(await nameBox.inputValue(), 'gpu-run');
    await nameBox.press('Enter'); // on the box itself: a page-level Enter is lost if the focus moved
    const file = path.join(workspace, 'gpu-run.grpo.json');
    await page.locator('.tab', { hasText: 'gpu-run.grpo.json' }).waitFor({ timeout: 30_000 });
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /"name": "gpu-run"/);
    assert.match(text, /"type": "hf"/);
    assert.match(text, /"lora":/);
    await runCommand(page, 'GRPO: Get Started');
    await waitForChecked(page, 'newConfig');
  });

  it('ticks the environment, run, samples and other-trainer steps when their buttons run', async () => {
    const page = wb.page;
    await clickStepButton(page, 'startRun', 'Start Run');
    await waitForChecked(page, 'startRun');
    await dismissQuickInput(page); // the config pick

    await clickStepButton(page, 'samples', 'Show Samples');
    await waitForChecked(page, 'samples');
    await dismissQuickInput(page); // no run yet: whatever it asks

    const other = step(page, 'otherTrainers');
    await other.click();
    await other.getByText('Then compare runs of any trainer').waitFor({ timeout: 10_000 });
    const buttons = await other.locator('.step-description-container .monaco-button').allTextContents();
    assert.deepStrictEqual(
      buttons.map((b) => b.trim()),
      ['Open Run Folder…', 'Compare Runs…', 'Show Runs Table'],
    );
    await clickStepButton(page, 'otherTrainers', 'Open Run Folder');
    await waitForChecked(page, 'otherTrainers');
    await dismissQuickInput(page); // the folder dialog

    await clickStepButton(page, 'checkEnvironment', 'Check Environment');
    await waitForChecked(page, 'checkEnvironment');
    await step(page, 'checkEnvironment').click();
    await page.mouse.move(5, 5);
    await settle(page, 1_000);
    await wb.screenshot('ui-walkthrough');
  });
});
