// Compare runs inside a real extension host: a run of ours and a TRL output_dir (written as
// TRL + transformers write it) overlaid in one panel (one session per run, a series of each
// from its whole history); Compare Configs opens VS Code's diff
// editor on two configs; samples side by side receive the groups matched by prompt.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ComparePanel } from '../../src/compare/comparePanel';
import { CONFIG_SCHEME } from '../../src/compare/configDocuments';
import type { SideBySidePanel } from '../../src/compare/sideBySidePanel';
import type { RunsApi } from '../../src/commands/register';
import { TrlRunWriter } from '../fixtures/writers/trlRun';
import { runsApi, waitFor, workspaceDir } from './runsHelpers';

const ext = () => vscode.extensions.getExtension('grpo-lens.grpo-lens')!.extensionPath;

/** A finished run of ours (test/fixtures/samples/run), copied with its config changed. */
function ourRun(name: string, config: Record<string, unknown>): string {
  const dir = path.join(workspaceDir(), 'runs', name);
  fs.cpSync(path.join(ext(), 'test/fixtures/samples/run'), dir, { recursive: true });
  const runJson = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ ...runJson, name, config }));
  return dir;
}

function diffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => t.input)
    .filter((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff);
}

describe('compare runs (extension host)', function () {
  this.timeout(120_000);
  let runs: RunsApi;
  let ours: string;
  let beta: string;
  let trl: string;

  before(async () => {
    runs = await runsApi();
    // The run doctor examines every run once, through a session that lingers a while: off
    // here, where the sessions counted must be compare's own.
    await vscode.workspace
      .getConfiguration('grpoLens')
      .update('doctor.enabled', false, vscode.ConfigurationTarget.Workspace);
    ours = ourRun('beta-004', { num_generations: 4, beta: 0.04, rewards: { accuracy: 1, format: 0.2 } });
    beta = ourRun('beta-0', { num_generations: 4, beta: 0, rewards: { accuracy: 1, format: 0.5 } });
    trl = path.join(workspaceDir(), 'outputs', 'qwen-grpo');
    // TRL gives the same prompts as our fixture run, so that side by side can match them.
    new TrlRunWriter(trl, {
      rewardFuncs: ['accuracy_reward', 'format_reward'],
      numGenerations: 4,
      promptsPerStep: 2,
      maxSteps: 12,
      saveSteps: 4,
      prompt: (step, group) => `Step ${step}, question ${group}: what is 2 + ${group}?`,
    }).steps(12);
    await runs.store()?.refresh();
    await waitFor(
      `the three runs (${JSON.stringify(
        runs
          .store()
          ?.runs()
          .map((r) => [r.id, r.source, r.step]),
      )})`,
      () => [ours, beta, trl].every((id) => runs.store()?.get(id)?.step === (id === trl ? 12 : 200)),
      60_000,
    );
  });

  it('overlays a run of ours and a TRL run: one session each, each run’s whole history, from the palette and the tree’s multi-selection', async () => {
    const panel = (await vscode.commands.executeCommand<ComparePanel>('grpoLens.compareRuns', [ours, trl]))!;
    assert.deepStrictEqual(panel.runIds, [ours, trl]);
    const sessions = (runs.store() as unknown as { sessions: { isOpen(id: string): boolean } }).sessions;
    await waitFor('one session held per run', () => sessions.isOpen(ours) && sessions.isOpen(trl), 30_000);
    assert.ok(!sessions.isOpen(beta), 'none for a run not compared');
    await waitFor('both histories', () => panel.overviews.size === 2, 60_000);
    const mine = panel.overviews.get(ours)!;
    const theirs = panel.overviews.get(trl)!;
    assert.strictEqual(mine.rowCount, 200);
    assert.strictEqual(theirs.rowCount, 12);
    assert.ok(
      mine.metrics.reward.x.length > 0 && theirs.metrics.reward.x.length > 0,
      'reward from both sources',
    );
    assert.ok(theirs.metrics.num_tokens, 'the TRL run logs tokens seen');
    assert.ok(!mine.metrics.num_tokens, 'ours does not');
    await waitFor('the webview got both', () => (panel.host.postedByType.compareSeries ?? 0) >= 2, 30_000);
    assert.strictEqual(panel.host.postedByType.compareInit, 1);
    // the runs explorer passes (item, items[]) from a multi-selection
    const fromTree = (await vscode.commands.executeCommand<ComparePanel>(
      'grpoLens.compareRuns',
      runs.tree.runNode(beta),
      [runs.tree.runNode(beta), runs.tree.runNode(ours), runs.tree.runNode(trl)],
    ))!;
    assert.deepStrictEqual(fromTree.runIds, [beta, ours, trl]);
    fromTree.dispose();
    panel.dispose();
  });

  it('Compare Configs opens VS Code’s diff editor on both runs’ configs, keys sorted', async () => {
    const ids = await vscode.commands.executeCommand<string[]>('grpoLens.compareConfigs', [ours, beta]);
    assert.deepStrictEqual(ids, [ours, beta]);
    const tab = await waitFor(
      'a diff tab',
      () => diffTabs().find((t) => t.original.scheme === CONFIG_SCHEME),
      30_000,
    );
    const [left, right] = await Promise.all([
      vscode.workspace.openTextDocument(tab.original),
      vscode.workspace.openTextDocument(tab.modified),
    ]);
    assert.deepStrictEqual(JSON.parse(left.getText()), {
      beta: 0.04,
      num_generations: 4,
      rewards: { accuracy: 1, format: 0.2 },
    });
    assert.match(
      right.getText(),
      /^\{\n {2}"beta": 0,\n {2}"num_generations": 4,\n {2}"rewards": \{\n {4}"accuracy": 1,/,
    );
    assert.match(tab.original.path, /beta-004/);
    assert.match(tab.modified.path, /beta-0\//);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('samples side by side: the groups of both runs at the nearest step, matched by prompt', async () => {
    const panel = (await vscode.commands.executeCommand<SideBySidePanel>(
      'grpoLens.compareSamples',
      [ours, trl],
      undefined,
      11,
    ))!;
    // the webview asks for the step it was opened at
    const shown = await waitFor('groups served', () => panel.lastShown, 60_000);
    assert.deepStrictEqual(shown.steps, [10, 11]);
    // TRL's step 11 has the prompts "Step 11, question g", ours at 10 "Step 10, …": none match
    assert.strictEqual(shown.matched.length, 0);
    const at10 = await panel.at(10);
    assert.deepStrictEqual(at10.steps, [10, 10]);
    assert.deepStrictEqual(
      at10.matched.map((m) => m.prompt),
      ['Step 10, question 0: what is 2 + 0?', 'Step 10, question 1: what is 2 + 1?'],
    );
    for (const m of at10.matched) {
      assert.strictEqual(m.groups[0].completions.length, 4);
      assert.strictEqual(m.groups[1].completions.length, 4);
      assert.ok(
        m.groups[1].completions.every((c) => Number.isFinite(c.advantage)),
        'TRL advantages',
      );
    }
    assert.deepStrictEqual(at10.unmatched, [2, 0]);
    assert.ok((panel.host.postedByType.reply ?? 0) >= 1);
    panel.dispose();
  });
});
