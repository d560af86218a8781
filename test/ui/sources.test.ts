// A person opens a workspace where TRL and verl have been training: both runs are in the
// run explorer with their source, the verl run's dashboard and the TRL run's samples open
// from the palette. Screenshots: .test-output/screenshots/ui-verl-dashboard.png,
// ui-trl-samples.png, ui-sources-explorer.png
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { EventFileWriter } from '../fixtures/writers/tfevents';
import { TrlRunWriter } from '../fixtures/writers/trlRun';
import { repoRoot } from '../harness/paths';
import { openCommandPalette, openViewContainer, settle, viewPane, waitForWorkbench } from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';

function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

/** Runs a palette command that asks for a run, and picks the run by its label. */
async function onRun(page: Page, command: string, run: string): Promise<void> {
  const quickInput = await openCommandPalette(page, command);
  await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor();
  await page.keyboard.press('Enter');
  await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: run }).first().click();
}

function writeTrl(workspace: string): void {
  const dir = path.join(workspace, 'outputs', 'qwen-grpo');
  const writer = new TrlRunWriter(dir, {
    rewardFuncs: ['accuracy_reward', 'format_reward'],
    numGenerations: 4,
    promptsPerStep: 3,
    maxSteps: 200,
    saveSteps: 20,
  });
  writer.steps(40);
  const events = new EventFileWriter(path.join(dir, 'runs', 'Nov30_22-00-00_gpu1'));
  events.addText('args', JSON.stringify({ output_dir: dir, num_generations: 4, learning_rate: 1e-6 }), 0);
  for (const entry of writer.logHistory)
    for (const [key, value] of Object.entries(entry))
      if (key !== 'step' && typeof value === 'number') events.addScalar(`train/${key}`, value, entry.step);
}

function writeVerl(workspace: string): void {
  const folder = path.join(workspace, 'verl_logs', 'gsm8k');
  const lines = Array.from({ length: 60 }, (_, i) => {
    const s = i + 1;
    return {
      step: s,
      data: {
        'critic/score/mean': 0.2 + 0.6 * (1 - Math.exp(-s / 20)),
        'actor/kl_loss': 0.002 * s,
        'actor/entropy': 1.2 - s / 100,
        'actor/pg_loss': Math.sin(s) / 50,
        'actor/pg_clipfrac': 0.02 + Math.cos(s) / 100,
        'response_length/mean': 180 + s,
        'timing_s/gen': 12 + Math.sin(s),
      },
    };
  });
  const ops = [
    { op: 'log', path: path.join(folder, 'qwen-verl.jsonl'), writer: 'json', lines },
    {
      op: 'dump',
      dir: path.join(folder, 'rollouts'),
      step: 60,
      inputs: ['12+7=', '12+7=', '3*4=', '3*4='],
      outputs: ['19', '21', '12', '12'],
      scores: [1, 0, 1, 1],
    },
  ];
  execFileSync('/usr/bin/python3', [path.join(repoRoot, 'test/fixtures/writers/verl.py')], {
    input: JSON.stringify(ops),
  });
}

describe('runs of other trainers, as a person sees them', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    const workspace = makeWorkspace();
    writeTrl(workspace);
    writeVerl(workspace);
    wb = await launchWorkbench({ workspace, viewport: { width: 1400, height: 900 } });
    await waitForWorkbench(wb.page);
    await openViewContainer(wb.page, 'GRPO Lens');
    await viewPane(wb.page, 'Runs').waitFor({ state: 'visible' });
  });

  after(async () => wb?.close());

  it('lists the TRL and verl runs with their source', async () => {
    const runs = viewPane(wb.page, 'Runs');
    await runs
      .getByRole('treeitem', { name: /qwen-grpo/ })
      .getByText(/TRL · 40\/200/)
      .waitFor({ timeout: 60_000 });
    await runs
      .getByRole('treeitem', { name: /qwen-verl/ })
      .getByText(/verl · step 60/)
      .waitFor();
    await settle(wb.page);
    await wb.screenshot('ui-sources-explorer');
  });

  it('opens the verl run’s dashboard: its metrics on our charts, no control buttons', async () => {
    await onRun(wb.page, 'GRPO: Open Dashboard', 'qwen-verl');
    const frame = webview(wb.page);
    await frame.locator('[data-chart="reward"] canvas').waitFor({ timeout: 60_000 });
    await frame.locator('[data-chart="kl"] canvas').waitFor();
    assert.strictEqual(await frame.locator('.badge.source').textContent(), 'verl');
    assert.strictEqual(await frame.locator('vscode-button[data-control="pause"]').isVisible(), false);
    await settle(wb.page, 1000);
    await wb.screenshot('ui-verl-dashboard');
  });

  it('opens the TRL run’s samples: groups of 4 with each reward function', async () => {
    await onRun(wb.page, 'GRPO: Show Samples', 'qwen-grpo');
    const frame = webview(wb.page);
    await frame.locator('.completion-row').first().waitFor({ timeout: 60_000 });
    assert.match((await frame.locator('.step-label').textContent()) ?? '', /40/);
    await frame.locator('.completion-row .chip', { hasText: 'accuracy_reward' }).first().waitFor();
    await frame.locator('.group-row .chip', { hasText: '4/4 shown' }).first().waitFor();
    await settle(wb.page, 1000);
    await wb.screenshot('ui-trl-samples');
  });
});
