import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  findTensorboardRuns,
  tensorboardParts,
  tensorboardSource,
} from '../../../../src/runs/sources/tensorboard/source';
import { EventFileWriter } from '../../../fixtures/writers/tfevents';
import { makeTempDir, removeDir } from '../../runs/tempDir';

describe('the generic TensorBoard source', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('finds a folder that holds event files directly, and nothing else', async () => {
    const run = path.join(dir, 'my-run');
    new EventFileWriter(run).addScalar('train/loss', 1, 1);
    const found = await findTensorboardRuns(run, fs.readdirSync(run));
    assert.deepStrictEqual(found, [
      { id: run, dir: run, source: 'tensorboard', name: 'my-run', watch: [run] },
    ]);
    assert.deepStrictEqual(await findTensorboardRuns(dir, fs.readdirSync(dir)), []);
  });

  it('strips only a train/ prefix from names', async () => {
    const writer = new EventFileWriter(dir);
    writer.addScalar('train/reward', 0.5, 1).addScalar('eval/reward', 0.25, 1).addScalar('loss', 2, 1);
    const parts = tensorboardParts((await findTensorboardRuns(dir, fs.readdirSync(dir)))[0]);
    const { rows } = await parts.metrics.tail(10);
    assert.deepStrictEqual(
      Object.keys(rows[0])
        .filter((k) => k !== 'time')
        .sort(),
      ['eval/reward', 'loss', 'reward', 'step'],
    );
    assert.ok((await parts.lastWrite())! >= fs.statSync(writer.path).mtimeMs);
    // the file the run doctor's Problems go on
    assert.strictEqual((await parts.facts!()).mainFile, writer.path);
  });

  it('opens as a run whose summary has the latest step and values', async () => {
    const writer = new EventFileWriter(dir);
    for (let step = 1; step <= 3; step++) writer.addScalar('train/reward', step / 4, step);
    const [run] = await tensorboardSource.find(dir, fs.readdirSync(dir));
    const reader = tensorboardSource.open(run);
    await reader.open();
    assert.strictEqual(reader.summary.sourceLabel, 'TensorBoard');
    assert.strictEqual(reader.summary.step, 3);
    assert.strictEqual(reader.summary.latestReward, 0.75);
    writer.addScalar('train/reward', 1, 4);
    await reader.update([writer.path]);
    assert.strictEqual(reader.summary.step, 4);
    reader.dispose();
  });
});
