import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findTrlRuns } from '../../../../src/runs/sources/trl';
import { TrlRunWriter } from '../../../fixtures/writers/trlRun';
import { makeTempDir, removeDir } from '../../runs/tempDir';

const options = { rewardFuncs: ['r'], numGenerations: 2, promptsPerStep: 1, maxSteps: 10 };

async function find(dir: string) {
  return findTrlRuns(dir, fs.readdirSync(dir));
}

describe('finding TRL output_dirs', () => {
  let root: string;
  beforeEach(() => (root = makeTempDir('trl-find-')));
  afterEach(() => removeDir(root));

  it('claims a folder with completions Parquet files', async () => {
    const dir = path.join(root, 'grpo-qwen');
    new TrlRunWriter(dir, options).step();
    assert.deepStrictEqual(await find(dir), [
      { id: dir, dir, source: 'trl', name: 'grpo-qwen', watch: [dir] },
    ]);
  });

  it('claims a folder with checkpoint-N/trainer_state.json, or its own trainer_state.json', async () => {
    const withCheckpoints = path.join(root, 'a');
    new TrlRunWriter(withCheckpoints, { ...options, logCompletions: false, saveSteps: 2 }).steps(2);
    assert.strictEqual((await find(withCheckpoints)).length, 1);
    const finished = path.join(root, 'b');
    const run = new TrlRunWriter(finished, { ...options, logCompletions: false });
    run.steps(10);
    run.finish();
    assert.strictEqual((await find(finished)).length, 1);
  });

  it('does not claim a checkpoint folder itself, nor our own checkpoints', async () => {
    const dir = path.join(root, 'run');
    new TrlRunWriter(dir, { ...options, saveSteps: 2 }).steps(2);
    const checkpoint = path.join(dir, 'checkpoint-2');
    assert.deepStrictEqual(await find(checkpoint), []);
    const ours = path.join(root, 'lens-run', 'checkpoints', 'step-000010');
    fs.mkdirSync(ours, { recursive: true });
    fs.writeFileSync(
      path.join(ours, 'trainer_state.json'),
      '{"format": "grpo-lens-checkpoint/1", "step": 10}',
    );
    assert.deepStrictEqual(await find(ours), []);
  });

  it('does not claim unrelated folders', async () => {
    const empty = path.join(root, 'empty-completions');
    fs.mkdirSync(path.join(empty, 'completions'), { recursive: true });
    fs.writeFileSync(path.join(empty, 'completions', 'notes.txt'), 'x');
    assert.deepStrictEqual(await find(empty), []);
    const tensorboardOnly = path.join(root, 'tb', 'runs', 'Nov30_22-00-00_host');
    fs.mkdirSync(tensorboardOnly, { recursive: true });
    fs.writeFileSync(path.join(tensorboardOnly, 'events.out.tfevents.1.host.1.0'), '');
    assert.deepStrictEqual(await find(path.join(root, 'tb')), []);
    const checkpointWithoutState = path.join(root, 'c');
    fs.mkdirSync(path.join(checkpointWithoutState, 'checkpoint-5'), { recursive: true });
    assert.deepStrictEqual(await find(checkpointWithoutState), []);
  });
});
