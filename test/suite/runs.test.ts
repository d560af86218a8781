// The run explorer with the real trainer on a tiny config: Start Run, Pause,
// Checkpoint Now, Resume, Stop, Resume from Checkpoint, Delete, and a broken config.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunsApi } from '../../src/commands/register';
import { runsApi, waitFor, workspaceDir, writeLongConfig } from './runsHelpers';

describe('run explorer with the real trainer', function () {
  this.timeout(180_000);
  let runs: RunsApi;
  let workspace: string;
  let runDir: string;
  const state = () => runs.store()?.get(runDir)?.state;

  before(async () => {
    runs = await runsApi();
    workspace = workspaceDir();
  });

  after(async () => {
    // Never leave a trainer behind.
    const pid = runs?.store()?.get(runDir)?.pid;
    if (pid && state() !== 'stopped' && state() !== 'finished') {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  });

  it('refuses a broken config: diagnostics on the file, nothing spawned', async () => {
    const broken = path.join(workspace, 'broken.grpo.json');
    fs.writeFileSync(
      broken,
      '{\n  // broken on purpose\n  "model": {"type": "tiny"},\n  "task": {"name": "arithmetic"},\n' +
        '  "rewards": [{"name": "accuracy"}],\n  "beta": "lots",\n  "warp_speed": 9\n}\n',
    );
    const uri = vscode.Uri.file(broken);
    const runsFolder = path.join(workspace, 'runs');
    const before = fs.existsSync(runsFolder) ? fs.readdirSync(runsFolder) : [];
    const result = await vscode.commands.executeCommand('grpoLens.startRun', uri);
    assert.strictEqual(result, undefined);
    const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'GRPO Lens');
    assert.strictEqual(diagnostics.length, 2, diagnostics.map((d) => d.message).join(' | '));
    const beta = diagnostics.find((d) => d.message.includes('"beta"'))!;
    assert.strictEqual(beta.range.start.line, 5);
    assert.ok(diagnostics.some((d) => d.message.includes('warp_speed') && d.range.start.line === 6));
    const after = fs.existsSync(runsFolder) ? fs.readdirSync(runsFolder) : [];
    assert.deepStrictEqual(after, before, 'no run directory was created');
  });

  it('starts a run that appears in the tree and reaches running', async () => {
    const config = writeLongConfig(workspace);
    runDir = (await vscode.commands.executeCommand<string>('grpoLens.startRun', vscode.Uri.file(config)))!;
    assert.ok(runDir, 'Start Run returned the run directory');
    assert.match(path.basename(runDir), /^long-test-\d{8}-\d{6}$/);
    assert.strictEqual(path.dirname(runDir), path.join(workspace, 'runs'));
    await waitFor('state running', () => state() === 'running');
    const nodes = await runs.tree.getChildren();
    const node = nodes.find((n) => n.runId === runDir);
    assert.ok(node, 'the run is in the tree');
    assert.strictEqual(runs.tree.getTreeItem(node).contextValue, 'run.running');
    assert.ok(fs.existsSync(path.join(runDir, 'train.log')), 'train.log exists');
  });

  it('pauses once the trainer acknowledges, and stays at its step', async () => {
    const outcome = await vscode.commands.executeCommand('grpoLens.pauseRun', { runId: runDir });
    assert.strictEqual(outcome, 'acknowledged');
    await waitFor('state paused', () => state() === 'paused');
    const step = runs.store()!.get(runDir)!.step;
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(runs.store()!.get(runDir)!.step, step);
    assert.strictEqual(runs.tree.getTreeItem(runs.tree.runNode(runDir)).contextValue, 'run.paused');
  });

  it('saves a checkpoint now, shown as a child of the run', async () => {
    const outcome = await vscode.commands.executeCommand('grpoLens.checkpointNow', { runId: runDir });
    assert.strictEqual(outcome, 'acknowledged');
    await waitFor('a checkpoint', () => runs.store()!.get(runDir)!.checkpoints.length > 0);
    // the run doctor's Problems child, when the run has findings, comes before the checkpoints
    const children = (await runs.tree.getChildren(runs.tree.runNode(runDir))).filter(
      (c) => c.kind !== 'problems',
    );
    assert.ok(children.length > 0);
    assert.strictEqual(runs.tree.getTreeItem(children[0]).contextValue, 'checkpoint');
  });

  it('resumes, then stops with a final state of stopped', async () => {
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.resumeRun', { runId: runDir }),
      'acknowledged',
    );
    await waitFor('state running', () => state() === 'running');
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.stopRun', { runId: runDir }),
      'acknowledged',
    );
    await waitFor('state stopped', () => state() === 'stopped');
    assert.strictEqual(
      runs.tree.getTreeItem(runs.tree.runNode(runDir)).contextValue,
      'run.stopped.checkpoints',
    );
  });

  it('says there is nothing to control once the run has stopped', async () => {
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.pauseRun', { runId: runDir }),
      'not-running',
    );
  });

  it('resumes from a checkpoint into the same run directory, one value per step', async () => {
    const run = runs.store()!.get(runDir)!;
    const checkpoint = run.checkpoints[0];
    const resumed = await vscode.commands.executeCommand('grpoLens.resumeFromCheckpoint', {
      runId: runDir,
      checkpoint,
    });
    assert.strictEqual(resumed, runDir);
    await waitFor(
      'running again past the checkpoint',
      () => state() === 'running' && runs.store()!.get(runDir)!.step > checkpoint.step,
    );
    const steps = runs
      .store()!
      .recentMetrics(runDir)
      .map((r) => r.step);
    assert.deepStrictEqual(
      steps,
      [...new Set(steps)].sort((a, b) => a - b),
      'steps are unique and ascending',
    );
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.stopRun', { runId: runDir }),
      'acknowledged',
    );
    await waitFor('state stopped', () => state() === 'stopped');
  });

  it('deletes a stopped run after confirmation', async () => {
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.deleteRun', { runId: runDir }, { confirmed: true }),
      true,
    );
    assert.ok(!fs.existsSync(runDir));
    await waitFor('the run to leave the tree', () => !runs.store()!.get(runDir));
  });
});
