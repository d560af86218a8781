// In Restricted Mode runs can be viewed, but no training process is started.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { runsApi, waitFor, workspaceDir, writeLongConfig } from './runsHelpers';

describe('run explorer in an untrusted workspace', function () {
  this.timeout(60_000);

  it('refuses to start a run, and starts no process', async () => {
    const runs = await runsApi();
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const config = writeLongConfig(workspaceDir(), 'untrusted');
    const result = await vscode.commands.executeCommand('grpoLens.startRun', vscode.Uri.file(config));
    assert.strictEqual(result, undefined);
    assert.ok(!fs.existsSync(path.join(workspaceDir(), 'runs')));
    assert.deepStrictEqual(runs.store()?.runs(), []);
  });

  it('refuses to resume a real run from its checkpoint, and starts no process', async () => {
    const runs = await runsApi();
    // A finished run with a checkpoint (the committed fixture), copied into runs/.
    const ext = vscode.extensions.getExtension('grpo-lens.grpo-lens')!;
    const runDir = path.join(workspaceDir(), 'runs', 'fixture-run');
    fs.cpSync(path.join(ext.extensionPath, 'test/fixtures/onnx/run'), runDir, { recursive: true });
    const filesBefore = fs.readdirSync(runDir).sort();
    await runs.store()!.refresh();
    const run = await waitFor('the copied run in the store', () => runs.store()?.get(runDir));
    assert.strictEqual(run.checkpoints.length, 1, 'the run has its checkpoint');

    const result = await vscode.commands.executeCommand('grpoLens.resumeFromCheckpoint', {
      runId: run.id,
      checkpoint: run.checkpoints[0].path,
    });
    assert.strictEqual(result, undefined);
    // A launch would have created train.log and status.json before the trainer ran.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepStrictEqual(fs.readdirSync(runDir).sort(), filesBefore, 'nothing written to the run');
  });
});
