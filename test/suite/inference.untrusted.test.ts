// In Restricted Mode the playground still samples (no process is started from workspace
// files for that), but it refuses to run the trainer's reward functions, and says why.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PlaygroundResult } from '../../src/contract/playground';

describe('inference in an untrusted workspace', function () {
  this.timeout(60_000);

  it('samples from the committed fixture run but leaves the completions unscored, with a clear message', async () => {
    const ext = vscode.extensions.getExtension('grpo-lens.grpo-lens')!;
    await ext.activate();
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const runDir = path.join(ext.extensionPath, 'test/fixtures/onnx/run');
    const result = (await vscode.commands.executeCommand('grpoLens.sampleFromCheckpoint', {
      runDir,
      checkpoints: [path.join(runDir, 'checkpoints/step-000001')],
      prompt: '3+4=',
      settings: { count: 2, maxTokens: 4 },
    })) as PlaygroundResult;
    const [group] = result.groups;
    assert.strictEqual(group.completions.length, 2);
    assert.ok(group.completions.every((c) => c.reward === undefined));
    assert.match(group.scoreError ?? '', /trusted workspace/);
  });
});
