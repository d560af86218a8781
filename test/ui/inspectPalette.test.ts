// A person inspects a completion from the command palette alone: F1, "GRPO: Inspect
// Completion", then the run, step, group and completion quick picks, and sees a read-only
// editor with the header and coloured tokens.
// Screenshots: .test-output/screenshots/ui-inspect-palette-{step,completion,editor}.png
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { activityItem, openCommandPalette, settle, waitForWorkbench } from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';

/** Two finished runs, so the run picker shows: the samples fixture and the hostile one. */
function runFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const samples = path.join(repoRoot, 'test/fixtures/samples/run');
  for (const f of fs.readdirSync(samples))
    files[`runs/fixture-run/${f}`] = fs.readFileSync(path.join(samples, f), 'utf8');
  files['runs/hostile/run.json'] = JSON.stringify({ format: 'grpo-lens/1', name: 'hostile' });
  files['runs/hostile/status.json'] = JSON.stringify({ state: 'finished', step: 1, total_steps: 1 });
  return files;
}

/** Waits for the quick pick titled `title`, then clicks its row that reads `row`. */
async function pick(page: Page, title: string, row: string | RegExp): Promise<Locator> {
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  const item = quickInput.locator('.quick-input-list .monaco-list-row', { hasText: row }).first();
  await item.waitFor();
  return item;
}

describe('Inspect Completion from the palette, driven like a person', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    const workspace = makeWorkspace({ files: runFiles() });
    // byte for byte: it holds invalid UTF-8
    fs.copyFileSync(
      path.join(repoRoot, 'test/fixtures/hostile/samples.jsonl'),
      path.join(workspace, 'runs/hostile/samples.jsonl'),
    );
    wb = await launchWorkbench({ workspace, viewport: { width: 1400, height: 900 } });
    await waitForWorkbench(wb.page);
    // the extension's contributions are registered: its commands are in the palette
    await activityItem(wb.page, 'GRPO Lens').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await wb?.close();
  });

  it('run → step → group → completion opens the completion with its header and coloured tokens', async () => {
    const page = wb.page;
    const quickInput = await openCommandPalette(page, 'GRPO: Inspect Completion');
    await quickInput
      .locator('.quick-input-list .monaco-list-row', { hasText: 'GRPO: Inspect Completion' })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');

    await (await pick(page, 'Inspect Completion: run', 'fixture-run')).click();
    // steps newest first; a person types to narrow the list
    await quickInput.locator('.quick-input-title', { hasText: 'Inspect Completion: step' }).waitFor();
    await quickInput.locator('input').fill('step 50');
    const step = await pick(page, 'Inspect Completion: step', 'step 50');
    await settle(page, 300);
    await wb.screenshot('ui-inspect-palette-step');
    await step.click();

    await (await pick(page, 'Inspect Completion: group', 'group 2')).click();
    // completions sorted by reward, best first
    const best = await pick(page, 'Inspect Completion: completion', /reward 1\.2/);
    await settle(page, 300);
    await wb.screenshot('ui-inspect-palette-completion');
    const label = ((await best.locator('.label-name').first().textContent()) ?? '').trim();
    const n = Number(/completion (\d+)/.exec(label)?.[1]);
    assert.ok(n >= 1 && n <= 4, `picked "${label}"`);
    await best.click();
    await quickInput.waitFor({ state: 'hidden' });

    const tab = page.locator('.tabs-container .tab', { hasText: `completion-${n}.txt` });
    await tab.first().waitFor({ timeout: 30_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor
      .locator('.view-line', {
        hasText: `# GRPO Lens · fixture-run · step 50 · group 2 · completion ${n} of 4`,
      })
      .first()
      .waitFor({ timeout: 30_000 });
    await editor.locator('.view-line', { hasText: '# reward 1.2' }).first().waitFor();
    await editor.locator('.view-line', { hasText: 'prompt:' }).first().waitFor();
    // token colours: decorations with a generated `ced-…` class in the editor's overlays
    await editor
      .locator('.view-overlays [class*="ced-"][class*="TextEditorDecorationType"]')
      .first()
      .waitFor({ state: 'attached', timeout: 15_000 });
    await settle(page, 800);
    await wb.screenshot('ui-inspect-palette-editor');
  });
});
