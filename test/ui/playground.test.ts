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
    await app
      .locator('.group .reward', { hasText: /^reward \d/ })
      .first()
      .waitFor({ timeout: 60_000 });
    assert.strictEqual(await cards.count(), 4);
    const head = await app.locator('.group-head').first().textContent();
    assert.match(head ?? '', /step 1.*(mean [\d.]+ · std [\d.]+|unscored)/);
    // drawn like a training step: a signed advantage bar, component chips and a token count per card
    assert.strictEqual(await app.locator('.group .completion .advantage .track .adv-fill').count(), 4);
    assert.strictEqual(await app.locator('.group .completion .len', { hasText: / tok$/ }).count(), 4);
    assert.ok(
      (await app.locator('.group .completion .chip.component').count()) >= 4,
      'reward-component chips',
    );
    // sorted by reward, best first
    const rewards = (await app.locator('.group .completion .reward').allTextContents()).map((t) =>
      Number(t.replace(/^reward /, '')),
    );
    assert.deepStrictEqual(
      rewards,
      [...rewards].sort((a, b) => b - a),
      `sorted: ${rewards}`,
    );
    // advantages are signed: the bar fills right of zero for A > 0, left for A < 0
    const fills = await app
      .locator('.group .completion .adv-fill')
      .evaluateAll((els) => els.map((e) => ({ cls: e.className, width: (e as HTMLElement).style.width })));
    const zeroStd = await app.locator('.group .badge.zero-std').count();
    if (zeroStd === 0)
      assert.ok(fills.some((f) => /pos/.test(f.cls)) && fills.some((f) => /neg/.test(f.cls)));
    // a truncated card was cut by max tokens, so it has exactly that many tokens
    const maxTokens = await app.locator('input[name=maxTokens]').inputValue();
    for (const len of await app
      .locator('.group .completion', { has: app.locator('.badge.truncated') })
      .locator('.len')
      .allTextContents())
      assert.strictEqual(len, `${maxTokens} tok`);
    await settle(page);
    await wb.screenshot('ui-playground');

    // greedy, one token each: every completion is the same and cut (truncated, zero std)
    await app.locator('input[name=maxTokens]').fill('1');
    await app.locator('input[name=temperature]').fill('0');
    await app.locator('button.sample').click();
    await app.locator('.group .completion .badge.truncated').nth(3).waitFor({ timeout: 60_000 });
    await settle(page);
    await wb.screenshot('ui-playground-cut');
    assert.strictEqual(await app.locator('.group .badge.zero-std').count(), 1);
    assert.strictEqual(await app.locator('.group.is-zero-std').count(), 1);
    for (const len of await app.locator('.group .completion .len').allTextContents())
      assert.strictEqual(len, '1 tok');
  });
});
