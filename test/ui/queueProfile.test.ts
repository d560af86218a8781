// A person queues a launch profile and a config with GRPO: Queue Runs…: the pick shows the
// profile with its kind; the profile's command (the stand-in TRL trainer, which writes
// output_dir as transformers' Trainer does) runs first; VS Code is closed while it trains and
// opened again; the new window sees the launch ended, marks it done, and starts the config.
// Screenshots: .test-output/screenshots/ui-queue-profile-*.png
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../harness/paths';
import { killTrainers, openViewContainer, viewPane } from '../harness/ui';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';
import { openQueueRuns, openQueueView, quickConfig } from './queuePick';

const STANDIN = path.join(repoRoot, 'test', 'fixtures', 'standin_trainer.py');

const PROFILES = `{
  "profiles": [
    { "name": "trl-standin", "kind": "command",
      "command": ["python3", ${JSON.stringify(STANDIN)}, "--output-dir", "outputs/trl", "--steps", "60", "--step-seconds", "0.25"],
      "watch": ["outputs/trl"] }
  ]
}
`;

interface Saved {
  entries: {
    name: string;
    state: string;
    startedAt?: number;
    endedAt?: number;
    detail?: string;
    runDir?: string;
  }[];
}

describe('queue a launch profile driven like a person', function () {
  this.timeout(300_000);
  let wb: Workbench | undefined;
  let workspace: string;

  after(async () => {
    await wb?.close();
    if (workspace) killTrainers(workspace);
  });

  it('queues a profile and a config; the profile ends while VS Code is closed, then the config runs', async () => {
    workspace = makeWorkspace({
      files: { 'qbase.grpo.json': quickConfig(3), '.vscode/grpo-lens.json': PROFILES },
      settings: { 'grpoLens.openDashboardOnStart': false },
    });
    wb = await launchWorkbench({ workspace });
    let page = wb.page;
    await openViewContainer(page, 'GRPO Lens');
    await viewPane(page, 'Queue').waitFor({ timeout: 120_000 });
    const quickInput = await openQueueRuns(page);
    const profileRow = quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'trl-standin' });
    await profileRow.first().waitFor({ timeout: 60_000 });
    assert.match(
      (await profileRow.first().textContent()) ?? '',
      /launch profile · command: python3 /,
      'the profile is offered with its kind',
    );
    await profileRow.first().click(); // ticks it
    await quickInput
      .locator('.quick-input-list .monaco-list-row', { hasText: 'qbase.grpo.json' })
      .first()
      .click();
    await page.waitForFunction(
      () => document.querySelectorAll('.quick-input-list .monaco-list-row[aria-checked="true"]').length === 2,
    );
    await wb.screenshot('ui-queue-profile-pick');
    await page.keyboard.press('Enter');

    await page.waitForFunction(
      () => {
        const labels = [...document.querySelectorAll('[role="treeitem"]')].map(
          (e) => e.getAttribute('aria-label') ?? '',
        );
        return labels.includes('trl-standin, running') && labels.includes('qbase, pending');
      },
      undefined,
      { timeout: 120_000 },
    );
    await wb.screenshot('ui-queue-profile-running');
    await wb.close(); // closed while the profile's command trains (it is detached)
    wb = undefined;
    const queueFile = path.join(workspace, '.grpo-lens', 'queue.json');
    const closed = JSON.parse(fs.readFileSync(queueFile, 'utf8')) as Saved;
    assert.strictEqual(closed.entries[0].runDir, path.join(workspace, 'outputs', 'trl'));
    // Let the command end while no window is open.
    const state = path.join(workspace, 'outputs', 'trl', 'trainer_state.json');
    const deadline = Date.now() + 120_000;
    while (!fs.existsSync(state) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    assert.ok(fs.existsSync(state), 'the stand-in finished while VS Code was closed');
    const reopenedAt = Date.now();

    wb = await launchWorkbench({ workspace });
    page = wb.page;
    await openQueueView(page);
    await page.waitForFunction(
      () => {
        const labels = [...document.querySelectorAll('[role="treeitem"]')].map(
          (e) => e.getAttribute('aria-label') ?? '',
        );
        return (
          labels.some((l) => l.startsWith('trl-standin, done')) &&
          labels.some((l) => l.startsWith('qbase, done'))
        );
      },
      undefined,
      { timeout: 180_000 },
    );
    await wb.screenshot('ui-queue-profile-after-reopen');
    const saved = JSON.parse(fs.readFileSync(queueFile, 'utf8')) as Saved;
    assert.deepStrictEqual(
      saved.entries.map((e) => [e.name, e.state, e.detail]),
      [
        ['trl-standin', 'done', 'finished'],
        ['qbase', 'done', 'finished'],
      ],
    );
    assert.ok(saved.entries[0].startedAt! < reopenedAt, 'the profile started before VS Code was closed');
    assert.ok(saved.entries[1].startedAt! > reopenedAt, 'the config was started by the window opened again');
  });
});
