// Other trainers' runs inside a real extension host: a run written the way the trainer
// writes it appears in the run explorer with its source, read-only; its dashboard and
// samples open; Inspect Completion says plainly there are no token details; it grows live.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunsApi } from '../../src/commands/register';
import type { DashboardPanel } from '../../src/panels/dashboardPanel';
import type { SamplesPanel } from '../../src/panels/samplesPanel';
import type { RunSummary } from '../../src/runs/model';
import { EventFileWriter } from '../fixtures/writers/tfevents';
import { TrlRunWriter } from '../fixtures/writers/trlRun';
import { grpoStatus, logTrain } from '../unit/sources/openrlhf/logTrain';
import { TrackioWriter } from '../unit/sources/trackio/writer';
import { runsApi, waitFor, workspaceDir } from './runsHelpers';

type Opened = { editor: vscode.TextEditor; decoratedTokens: number };

const ext = () => vscode.extensions.getExtension('grpo-lens.grpo-lens')!.extensionPath;

/** test/fixtures/writers/verl.py: files exactly as verl's file logger and rollout dump write them. */
function writeVerl(ops: object[]): void {
  execFileSync('/usr/bin/python3', [path.join(ext(), 'test/fixtures/writers/verl.py')], {
    input: JSON.stringify(ops),
  });
}

const verlStep = (step: number) => ({
  step,
  data: { 'critic/score/mean': step / 10, 'actor/kl_loss': step / 100, 'actor/entropy': 1 - step / 100 },
});

/** Every file under a folder with size and mtime. */
function listing(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = path.join(e.parentPath, e.name);
      const st = fs.statSync(full);
      return `${path.relative(dir, full)} ${st.size} ${st.mtimeMs}`;
    })
    .sort();
}

async function exercise(runs: RunsApi, run: RunSummary, folder: string, withSamples = true): Promise<void> {
  const item = runs.tree.getTreeItem(runs.tree.runNode(run.id));
  assert.match(String(item.description), new RegExp(`^${run.sourceLabel} · `));
  assert.match(String(item.contextValue), /^foreign\./, 'no control menus for a run we only read');
  const before = listing(folder);
  const dashboard = (await vscode.commands.executeCommand<DashboardPanel>('grpoLens.openDashboard', run.id))!;
  await waitFor('the series window', () => dashboard.host.postedByType.series >= 1, 60_000);
  const samples = (await vscode.commands.executeCommand<SamplesPanel>('grpoLens.showSamples', run.id))!;
  await waitFor('the step list', () => (samples.host.postedByType.sampleSteps ?? 0) >= 1, 60_000);
  // the webview asks for the latest step's groups only where there are any
  if (withSamples) await waitFor('samples served', () => (samples.host.postedByType.reply ?? 0) >= 1, 60_000);
  const steps = await runs.store()!.sampleSteps(run.id);
  assert.strictEqual(steps.length > 0, withSamples, `sample steps: ${steps.join(', ')}`);
  if (withSamples) {
    const [group] = await runs.store()!.samplesAt(run.id, steps[steps.length - 1]);
    const opened = (await vscode.commands.executeCommand<Opened>('grpoLens.inspectCompletion', {
      runId: run.id,
      step: group.step,
      group: group.group,
      index: 0,
    }))!;
    assert.match(opened.editor.document.getText(), /no token data was logged/);
    assert.strictEqual(opened.decoratedTokens, 0);
  }
  assert.strictEqual(await vscode.commands.executeCommand('grpoLens.pauseRun', run.id), 'read-only');
  assert.deepStrictEqual(listing(folder), before, 'nothing written into the trainer’s folder');
  dashboard.dispose();
  samples.dispose();
}

describe('runs of other trainers (extension host)', function () {
  this.timeout(120_000);
  let runs: RunsApi;
  before(async () => (runs = await runsApi()));

  it('verl: listed with its source, dashboard, samples, inspection without token details, live', async () => {
    const folder = path.join(workspaceDir(), 'verl_logs', 'gsm8k');
    const file = path.join(folder, 'qwen-grpo.jsonl');
    writeVerl([
      { op: 'log', path: file, writer: 'json', lines: [1, 2, 3].map(verlStep) },
      {
        op: 'dump',
        dir: path.join(folder, 'rollouts'),
        step: 3,
        inputs: ['12+7=', '12+7=', '3*4=', '3*4='],
        outputs: ['19', '21', '12', '12'],
        scores: [1, 0, 1, 1],
      },
    ]);
    const run = await waitFor(
      // listed once its files appear; its steps follow as the watcher reads what was written
      'the verl run at step 3',
      () =>
        runs
          .store()
          ?.runs()
          .find((r) => r.source === 'verl' && r.step === 3),
      30_000,
    );
    assert.strictEqual(run.id, file);
    await exercise(runs, run, folder);
    writeVerl([{ op: 'log', path: file, writer: 'json', open: false, lines: [verlStep(4)] }]);
    await waitFor('step 4', () => runs.store()?.get(run.id)?.step === 4, 30_000);
  });

  it('TRL: an output_dir is listed with its source, opens, inspects without token details, grows live', async () => {
    const folder = path.join(workspaceDir(), 'outputs', 'qwen-grpo');
    const writer = new TrlRunWriter(folder, {
      rewardFuncs: ['accuracy_reward', 'format_reward'],
      numGenerations: 4,
      promptsPerStep: 2,
      maxSteps: 50,
      saveSteps: 1,
    });
    writer.steps(3);
    const run = await waitFor(
      // listed once its files appear; its steps follow as the watcher reads what was written
      'the TRL run at step 3',
      () =>
        runs
          .store()
          ?.runs()
          .find((r) => r.source === 'trl' && r.id === folder && r.step === 3),
      30_000,
    );
    assert.strictEqual(run.id, folder);
    await exercise(runs, run, folder);
    writer.step();
    await waitFor('step 4', () => runs.store()?.get(run.id)?.step === 4, 30_000);
  });

  it('Trackio: a project database while Trackio writes it is listed, opens, grows live', async () => {
    const folder = path.join(workspaceDir(), 'trackio');
    fs.mkdirSync(folder, { recursive: true });
    const writer = await TrackioWriter.start(folder);
    try {
      await writer.log('grpo-1', [1, 2, 3]);
      const run = await waitFor(
        'the Trackio run at step 3',
        () =>
          runs
            .store()
            ?.runs()
            .find((r) => r.source === 'trackio' && r.step === 3),
        30_000,
      );
      assert.strictEqual(run.name, 'proj/grpo-1');
      await exercise(runs, run, folder);
      await writer.log('grpo-1', [4]);
      await waitFor('step 4', () => runs.store()?.get(run.id)?.step === 4, 30_000);
    } finally {
      await writer.close();
    }
  });

  it('OpenRLHF and TensorBoard logdirs: listed with their sources, open, grow live', async () => {
    const folder = path.join(workspaceDir(), 'tb_logs');
    const openrlhf = new EventFileWriter(path.join(folder, 'qwen-openrlhf'));
    for (const step of [1, 2, 3]) logTrain(openrlhf, step, grpoStatus(step));
    const plain = new EventFileWriter(path.join(folder, 'plain'));
    for (const step of [1, 2, 3]) plain.addScalar('train/loss', 1 / step, step);
    const find = (source: string) =>
      waitFor(
        `the ${source} run at step 3`,
        () =>
          runs
            .store()
            ?.runs()
            .find((r) => r.source === source && r.step === 3),
        30_000,
      );
    const o = await find('openrlhf');
    await exercise(runs, o, folder);
    const t = await find('tensorboard');
    await exercise(runs, t, folder, false);
    logTrain(openrlhf, 4, grpoStatus(4));
    await waitFor('OpenRLHF step 4', () => runs.store()?.get(o.id)?.step === 4, 30_000);
  });
});
