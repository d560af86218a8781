// The runs table and notes/tags inside a real extension host: GRPO: Show Runs Table lists
// a run of ours and a TRL run with their config keys and summary metrics (a resume's
// superseded steps left out); Edit Tags… on the TRL run writes next to its folder, never
// inside, and the tags appear in the tree and the table; a note saved in its editor
// shows in the tree's tooltip.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunsTableRow } from '../../src/contract/messages';
import type { RunsTablePanel } from '../../src/runsTable/panel';
import { EventFileWriter } from '../fixtures/writers/tfevents';
import { TrlRunWriter } from '../fixtures/writers/trlRun';
import { listing } from '../unit/runsTable/listing';
import { runsApi, waitFor, workspaceDir } from './runsHelpers';

const line = (o: object) => JSON.stringify(o) + '\n';

/** A finished run of ours whose steps 6–10 were superseded by a resume from step 5. */
function writeOurRun(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const config = { name: 'ours', beta: 0.02, num_generations: 8, loss_type: 'grpo', learning_rate: 0.001 };
  fs.writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({ format: 'grpo-lens/1', name: 'ours', config, created: 1767268800 }),
  );
  fs.writeFileSync(
    path.join(dir, 'status.json'),
    JSON.stringify({ state: 'finished', step: 8, total_steps: 8, updated: 1767268900 }),
  );
  const rows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((step) => line({ step, reward: step / 10, kl: 0.01 }));
  const resumed = [6, 7, 8].map((step) => line({ step, reward: 0.1, kl: 0.01 }));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), [...rows, ...resumed].join(''));
}

describe('runs table and notes (extension host)', function () {
  this.timeout(120_000);

  it('shows runs of two sources, and tags edited from the command show in the tree and the table', async () => {
    const runs = await runsApi();
    const ours = path.join(workspaceDir(), 'runs', 'ours-beta');
    writeOurRun(ours);
    const trl = path.join(workspaceDir(), 'outputs', 'table-trl');
    const writer = new TrlRunWriter(trl, {
      rewardFuncs: ['accuracy_reward'],
      numGenerations: 4,
      promptsPerStep: 2,
      maxSteps: 50,
      saveSteps: 1,
    });
    writer.steps(3);
    const events = new EventFileWriter(path.join(trl, 'runs', 'Jan01_00-00-00_host'));
    events.addText(
      'args',
      JSON.stringify({ learning_rate: 1e-6, beta: 0.04, num_generations: 4, loss_type: 'dr_grpo' }),
      0,
    );
    for (const step of [1, 2, 3]) events.addScalar('train/reward', step / 4, step);

    await waitFor(
      'both runs listed',
      () => {
        const all = runs.store()?.runs() ?? [];
        return all.some((r) => r.id === ours && r.step === 8) && all.some((r) => r.id === trl && r.config);
      },
      60_000,
    );
    const table = (await vscode.commands.executeCommand<RunsTablePanel>('grpoLens.showRunsTable'))!;
    await waitFor(
      'the webview is ready and has its rows',
      () => (table.host.postedByType.tableInit ?? 0) >= 1,
      60_000,
    );
    const row = (id: string) => table.currentRows().find((r) => r.id === id);
    const mine = await waitFor('our run’s stats read', () => !row(ours)?.statsPending && row(ours), 30_000);
    assert.strictEqual(mine.metrics.reward.best, 0.5, 'steps 6–10 of the abandoned branch do not count');
    assert.strictEqual(mine.metrics.reward.last, 0.1);
    // mean of the last 10 steps: the 8 current rows, 0.1…0.5 then 0.1 three times
    assert.ok(Math.abs(mine.metrics.reward.mean! - 1.8 / 8) < 1e-9, String(mine.metrics.reward.mean));
    assert.strictEqual(mine.config.beta, 0.02);
    const theirs = (await waitFor(
      'the TRL run’s config',
      () => row(trl)?.config.loss_type && row(trl),
      30_000,
    )) as RunsTableRow;
    assert.strictEqual(theirs.source, 'TRL');
    assert.strictEqual(theirs.config.beta, 0.04);

    const before = listing(trl);
    const updates = () => table.host.postedByType.tableUpdate ?? 0;
    const [updatesBefore, initsBefore] = [updates(), table.host.postedByType.tableInit];
    const tags = await vscode.commands.executeCommand<string[]>('grpoLens.editRunTags', trl, [
      'baseline',
      'sweep:lr',
      'lr=1e-6',
    ]);
    assert.deepStrictEqual(tags, ['baseline', 'sweep:lr', 'lr=1e-6']);
    assert.deepStrictEqual(listing(trl), before, 'nothing written into the TRL output_dir');
    assert.ok(fs.existsSync(path.join(workspaceDir(), 'outputs', '.grpo-lens', 'table-trl.tags.json')));
    await waitFor('the tags in the tree', () =>
      String(runs.tree.getTreeItem(runs.tree.runNode(trl)).description).includes('#baseline #sweep:lr'),
    );
    await waitFor('the tags in the table', () => row(trl)?.tags.includes('sweep:lr'));
    // sent as an update of the changed rows (batched for 150 ms), not as every row again
    await waitFor('an update with the tagged row', () => updates() > updatesBefore);
    assert.strictEqual(table.host.postedByType.tableInit, initsBefore);

    const editor = (await vscode.commands.executeCommand<vscode.TextEditor>('grpoLens.editRunNote', ours))!;
    assert.strictEqual(editor.document.uri.fsPath, path.join(ours, 'note.md'));
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'beta 0.02 is **stable**\n'));
    await editor.document.save();
    await waitFor('the note in the tree’s tooltip', () => {
      const tooltip = runs.tree.getTreeItem(runs.tree.runNode(ours)).tooltip as vscode.MarkdownString;
      return tooltip.value.includes('beta 0.02 is **stable**');
    });
    await waitFor('the note in the table', () => row(ours)?.note.includes('stable'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
