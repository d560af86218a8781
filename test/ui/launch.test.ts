// A person starts a "command" launch profile (the stand-in TRL trainer) from GRPO: Start
// Run, sees its run in the Runs tree, pauses it, reloads the window (the new extension
// host re-attaches through the sidecar: still paused, still controllable), and stops it.
// Screenshots: .test-output/screenshots/ui-launch-*.png
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Locator, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import {
  openCommandPalette,
  openViewContainer,
  settle,
  startRunFromPalette,
  viewPane,
  waitForWorkbench,
} from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';
import { groupProcesses } from '../../src/launch/processGroup';
import { readStatus } from '../../src/launch/sidecar';

const STANDIN = path.join(repoRoot, 'test', 'fixtures', 'standin_trainer.py');

const PROFILES = `{
  // written by test/ui/launch.test.ts
  "profiles": [
    { "name": "standin-trl", "kind": "command",
      "command": ["python3", ${JSON.stringify(STANDIN)}, "--output-dir", "outputs/standin-trl", "--step-seconds", "0.5"],
      "watch": ["outputs/standin-trl"] }
  ]
}`;

function row(page: Page): Locator {
  return viewPane(page, 'Runs').getByRole('treeitem', { name: /standin-trl/ });
}

async function waitForState(page: Page, state: string): Promise<void> {
  await viewPane(page, 'Runs')
    .getByRole('treeitem', { name: new RegExp(`standin-trl.*, ${state}, `) })
    .waitFor({ timeout: 120_000 });
}

/** A palette command that asks for a run: the only run fits, Enter picks it. */
async function runOnTheRun(page: Page, title: string): Promise<void> {
  const quickInput = await openCommandPalette(page, title);
  // "GRPO: Stop" also matches "GRPO: Force Stop": click the one asked for.
  const command = quickInput
    .locator('.quick-input-list .monaco-list-row', { hasText: title })
    .filter({ hasNotText: 'Force' });
  await command.first().click();
  await quickInput
    .locator('.quick-input-list .monaco-list-row', { hasText: 'standin-trl' })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
}

function sidecarOf(workspace: string): string {
  const launches = path.join(workspace, 'outputs', '.grpo-lens', 'launches');
  return path.join(launches, fs.readdirSync(launches)[0]);
}

describe('a launch profile driven like a person', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    workspace = makeWorkspace({ files: { '.vscode/grpo-lens.json': PROFILES } });
    wb = await launchWorkbench({ workspace, settings: { 'grpoLens.stopSigintSeconds': 20 } });
    await waitForWorkbench(wb.page, 120_000);
    await openViewContainer(wb.page, 'GRPO Lens');
  });

  after(async () => {
    await wb?.close();
    const status =
      workspace && fs.existsSync(path.join(workspace, 'outputs'))
        ? readStatus(sidecarOf(workspace))
        : undefined;
    if (status?.pgid && groupProcesses(status.pgid).length > 0) process.kill(-status.pgid, 'SIGKILL');
  });

  it('starts the profile from GRPO: Start Run and shows its TRL run running', async () => {
    const page = wb.page;
    await startRunFromPalette(page, 'launch profile · command');
    await waitForState(page, 'running');
    await settle(page);
    await wb.screenshot('ui-launch-running');
  });

  it('pauses every process; after a window reload the run is still paused and controllable', async () => {
    const page = wb.page;
    await runOnTheRun(page, 'GRPO: Pause');
    await waitForState(page, 'paused');
    const pgid = readStatus(sidecarOf(workspace))!.pgid!;
    assert.ok(groupProcesses(pgid).every((p) => p.state === 'T'));
    await page.reload();
    await waitForWorkbench(page, 120_000);
    await openViewContainer(page, 'GRPO Lens');
    await waitForState(page, 'paused');
    await row(page).click();
    await settle(page);
    await wb.screenshot('ui-launch-paused-after-reload');
    await runOnTheRun(page, 'GRPO: Resume');
    await waitForState(page, 'running');
  });

  it('stops it: SIGINT, the trainer saves and exits, the tree says stopped', async () => {
    const page = wb.page;
    await runOnTheRun(page, 'GRPO: Stop');
    await waitForState(page, 'stopped');
    const status = readStatus(sidecarOf(workspace))!;
    assert.strictEqual(status.endedBy, 'SIGINT');
    assert.strictEqual(status.exitCode, 0);
    await settle(page);
    await wb.screenshot('ui-launch-stopped');
  });
});
