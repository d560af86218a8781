// A person opens the playground from the palette on a run with an ONNX export, picks a
// prompt from the run's samples, and sees G scored completions grouped like a step.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openCommandPalette, settle, waitForWorkbench } from '../harness/ui';
import { repoRoot } from '../harness/paths';
import { launchWorkbench, Workbench } from '../harness/workbench';

describe('playground', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-playground-'));
    fs.cpSync(path.join(repoRoot, 'test/fixtures/onnx/run'), path.join(workspace, 'runs', 'fixture'), {
      recursive: true,
    });
    wb = await launchWorkbench({ workspace });
    await waitForWorkbench(wb.page);
  });

  after(async () => {
    await wb?.close();
  });

  it('samples G completions for a prompt picked from the run and shows rewards and advantages', async () => {
    const page = wb.page;
    await settle(page, 3000); // a palette opened before the extension's contributions load never lists them
    const palette = await openCommandPalette(page, 'GRPO: Sample from Checkpoint');
    await palette
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Sample from Checkpoint' })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    // One run and one checkpoint are taken as they are; the prompt is picked.
    const prompts = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await prompts.filter({ hasText: 'Type a prompt' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');

    const app = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
    const cards = app.locator('.group .completion');
    await cards.nth(3).waitFor({ timeout: 60_000 });
    await app.locator('.group .reward', { hasText: /^r \d/ }).first().waitFor({ timeout: 60_000 });
    assert.strictEqual(await cards.count(), 4);
    const head = await app.locator('.group-head').first().textContent();
    assert.match(head ?? '', /step 1.*reward/);
    await settle(page);
    await wb.screenshot('ui-playground');
  });
});
