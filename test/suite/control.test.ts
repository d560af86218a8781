// Control commands against processes that do not answer: a live process that never
// reads control.jsonl (timeout, said plainly), one that dies while we wait, and a
// run whose process is gone (stale: nothing to control).
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunsApi } from '../../src/commands/register';
import { runsApi, waitFor, workspaceDir } from './runsHelpers';

function fakeRun(name: string, pid: number): string {
  const dir = path.join(workspaceDir(), 'runs', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ name, config: { max_steps: 10 } }));
  fs.writeFileSync(
    path.join(dir, 'status.json'),
    JSON.stringify({ state: 'running', pid, step: 3, total_steps: 10 }),
  );
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), '{"step":1,"reward":0.5}\nnot json\n');
  return dir;
}

describe('control commands when the trainer does not answer', function () {
  this.timeout(60_000);
  let runs: RunsApi;
  let silent: ChildProcess;

  before(async () => {
    runs = await runsApi();
    await vscode.workspace
      .getConfiguration('grpoLens')
      .update('controlTimeoutSeconds', 1, vscode.ConfigurationTarget.Workspace);
    silent = spawn('sleep', ['60'], { stdio: 'ignore' });
  });

  after(async () => {
    silent?.kill('SIGKILL');
    await vscode.workspace
      .getConfiguration('grpoLens')
      .update('controlTimeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('shows a run with bad lines, and times out plainly when nothing acknowledges', async () => {
    const dir = fakeRun('silent', silent.pid!);
    await runs.store()!.refresh();
    const run = await waitFor('the silent run', () => runs.store()!.get(dir));
    assert.strictEqual(run.state, 'running');
    assert.deepStrictEqual(run.badLines, { 'metrics.jsonl': 1 });
    assert.match(String(runs.tree.getTreeItem(runs.tree.runNode(dir)).description), /1 bad line/);
    const outcome = await vscode.commands.executeCommand('grpoLens.pauseRun', { runId: dir });
    assert.strictEqual(outcome, 'timeout');
    const control = fs.readFileSync(path.join(dir, 'control.jsonl'), 'utf8').trim().split('\n');
    assert.strictEqual(JSON.parse(control[0]).command, 'pause');
  });

  it('says the process is gone when it dies while we wait, and calls the run stale', async () => {
    const doomed = spawn('sleep', ['60'], { stdio: 'ignore' });
    const dir = fakeRun('doomed', doomed.pid!);
    await runs.store()!.refresh();
    await waitFor('the doomed run', () => runs.store()!.get(dir));
    await vscode.workspace
      .getConfiguration('grpoLens')
      .update('controlTimeoutSeconds', 20, vscode.ConfigurationTarget.Workspace);
    const outcome = vscode.commands.executeCommand('grpoLens.stopRun', { runId: dir });
    setTimeout(() => doomed.kill('SIGKILL'), 300);
    assert.strictEqual(await outcome, 'process-gone');
    assert.strictEqual(runs.store()!.get(dir)!.state, 'stale');
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.pauseRun', { runId: dir }),
      'not-running',
    );
  });
});

describe('starting a run without a usable Python', function () {
  this.timeout(60_000);

  it('says which interpreter it tried and starts nothing', async () => {
    await runsApi();
    const settings = vscode.workspace.getConfiguration('grpoLens');
    const previous = settings.inspect<string>('pythonPath')?.workspaceValue;
    await settings.update('pythonPath', '/nonexistent/python3', vscode.ConfigurationTarget.Workspace);
    try {
      const config = path.join(workspaceDir(), 'no-python.grpo.json');
      fs.writeFileSync(
        config,
        '{"model": {"type": "tiny"}, "task": {"name": "arithmetic"}, "rewards": [{"name": "accuracy"}]}',
      );
      const runsFolder = path.join(workspaceDir(), 'runs');
      const before = fs.existsSync(runsFolder) ? fs.readdirSync(runsFolder) : [];
      const result = await vscode.commands.executeCommand('grpoLens.startRun', vscode.Uri.file(config));
      assert.strictEqual(result, undefined);
      const after = fs.existsSync(runsFolder) ? fs.readdirSync(runsFolder) : [];
      assert.deepStrictEqual(after, before);
    } finally {
      await settings.update('pythonPath', previous, vscode.ConfigurationTarget.Workspace);
    }
  });
});
