import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exportedCheckpoints, policyModel, samplingCheckpoint } from '../../../src/inference/exports';

function runWith(steps: number[], unexported: number[] = []): string {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-exports-'));
  for (const step of [...steps, ...unexported]) {
    const dir = path.join(run, 'checkpoints', `step-${String(step).padStart(6, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    if (steps.includes(step)) fs.writeFileSync(path.join(dir, 'policy.onnx'), '');
  }
  fs.mkdirSync(path.join(run, 'checkpoints', '.tmp-step-000099-123'));
  return run;
}

describe('finding exports', () => {
  it('lists exported checkpoints in step order, skipping temp folders and checkpoints without an export', async () => {
    const run = runWith([10, 2, 30], [40]);
    assert.deepStrictEqual(
      (await exportedCheckpoints(run)).map((c) => c.step),
      [2, 10, 30],
    );
    assert.match(await policyModel(run), /step-000030[\\/]policy\.onnx$/);
  });

  it('the checkpoint that sampled step s is the latest exported before s', async () => {
    const run = runWith([2, 4, 6]);
    assert.match((await samplingCheckpoint(run, 5))!, /step-000004$/);
    assert.match((await samplingCheckpoint(run, 7))!, /step-000006$/);
    assert.strictEqual(await samplingCheckpoint(run, 2), undefined);
  });
});
