// In Restricted Mode runs can be viewed, but no training process is started.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { runsApi, workspaceDir, writeLongConfig } from './runsHelpers';

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

  it('refuses to resume from a checkpoint', async () => {
    const result = await vscode.commands.executeCommand('grpoLens.resumeFromCheckpoint', {
      runId: '/nowhere',
      checkpoint: '/nowhere/checkpoints/step-000001',
    });
    assert.strictEqual(result, undefined);
  });
});
