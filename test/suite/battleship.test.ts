// A Battleship run in a real extension host: started from its config with the real
// trainer, its samples open, and Inspect Completion shows each shot with its probability,
// coloured, with the policy's top alternative cells in the hover.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunsApi } from '../../src/commands/register';
import type { SamplesPanel } from '../../src/panels/samplesPanel';
import { battleshipTestConfig } from '../fixtures/writers/battleshipRun';
import { hoverText, completionBodyOffset } from './inspectHelpers';
import { runsApi, waitFor, workspaceDir } from './runsHelpers';

type Opened = { editor: vscode.TextEditor; decoratedTokens: number };

describe('Battleship run (extension host)', function () {
  this.timeout(180_000);
  let runs: RunsApi;
  let runDir: string;
  const state = () => runs.store()?.get(runDir)?.state;

  before(async () => (runs = await runsApi()));
  after(() => {
    const pid = runs?.store()?.get(runDir)?.pid;
    if (pid && state() !== 'finished' && state() !== 'failed') {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  });

  it('trains from its config, then its samples and Inspect Completion show the game shot by shot', async () => {
    const config = path.join(workspaceDir(), 'battleship-test.grpo.json');
    fs.writeFileSync(config, JSON.stringify(battleshipTestConfig(4), null, 2));
    runDir = (await vscode.commands.executeCommand<string>('grpoLens.startRun', vscode.Uri.file(config)))!;
    assert.ok(runDir, 'Start Run returned the run directory');
    await waitFor(
      'the run to finish',
      () => state() === 'finished' || state() === 'failed',
      120_000,
      () =>
        `state ${state() ?? '(not listed)'}; ${fs.readFileSync(path.join(runDir, 'status.json'), 'utf8')}`,
    );
    assert.strictEqual(
      state(),
      'finished',
      fs.readFileSync(path.join(runDir, 'train.log'), 'utf8').slice(-2000),
    );

    const samples = (await vscode.commands.executeCommand<SamplesPanel>('grpoLens.showSamples', runDir))!;
    await waitFor('samples served', () => (samples.host.postedByType.reply ?? 0) >= 1, 60_000);
    const steps = await runs.store()!.sampleSteps(runDir);
    const [group] = await runs.store()!.samplesAt(runDir, steps[steps.length - 1]);
    assert.strictEqual(group.environment?.name, 'battleship');
    const game = group.completions[0];
    const opened = (await vscode.commands.executeCommand<Opened>('grpoLens.inspectCompletion', {
      runId: runDir,
      step: group.step,
      group: group.group,
      index: 0,
    }))!;
    const doc = opened.editor.document;
    const first = game.trajectory![0];
    const p = Math.exp(first.logprob!).toFixed(3);
    assert.ok(
      doc.getText().includes(`# shot 1: ${first.cell} ${first.outcome} · p ${p}`),
      doc.getText().slice(0, 800),
    );
    assert.strictEqual(opened.decoratedTokens, game.tokens!.length, 'every shot coloured');
    const offset = completionBodyOffset(doc) + game.text.indexOf(first.cell!);
    const hover = await hoverText(doc, offset);
    assert.match(hover, /policy’s top cells at this shot/);
    assert.ok(hover.includes(`\`${first.top![0].cell}\``), hover);
    samples.dispose();
  });
});
