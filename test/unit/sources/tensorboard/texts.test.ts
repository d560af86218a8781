import * as assert from 'assert';
import * as path from 'path';
import { readTextSummaries } from '../../../../src/runs/sources/tensorboard/texts';
import { TextTagIndex } from '../../../../src/runs/sources/tensorboard/textIndex';
import { EventFileWriter } from '../../../fixtures/writers/tfevents';
import { makeTempDir, removeDir } from '../../runs/tempDir';

describe('text summaries in event files', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('reads TRL’s TrainingArguments, logged once as text tag "args" (TensorBoardCallback.on_train_begin)', async () => {
    const args = JSON.stringify({ output_dir: 'out', learning_rate: 1e-6, num_generations: 8 }, null, 2);
    const writer = new EventFileWriter(path.join(dir, 'runs', 'Jan01_12-00-00_node'));
    writer.addText('args', args, 0).addText('model_config', '{"model_type": "qwen2"}', 0);
    writer.addScalar('train/loss', 0.5, 1);
    const found = await readTextSummaries([dir], 'args');
    assert.deepStrictEqual(
      found.map((t) => [t.tag, t.step, JSON.parse(t.text).num_generations]),
      [['args', 0, 8]],
    );
    const all = await readTextSummaries([dir]);
    assert.deepStrictEqual(
      all.map((t) => t.tag),
      ['args', 'model_config'],
    );
  });

  it('stops at the first match when asked', async () => {
    const writer = new EventFileWriter(dir);
    for (let step = 1; step <= 5; step++) writer.addText('note', `step ${step}`, step);
    const first = await readTextSummaries([dir], 'note', { first: true });
    assert.deepStrictEqual(
      first.map((t) => t.text),
      ['step 1'],
    );
  });

  it('looks only at the head of each file when asked, so a missing tag costs little', async () => {
    const writer = new EventFileWriter(dir).addText('args', '{"early": true}', 0);
    for (let step = 1; step <= 2000; step++) writer.addScalar('train/loss', 1 / step, step);
    writer.addText('late', 'far down the file', 2001);
    assert.strictEqual((await readTextSummaries([dir], 'args', { headBytes: 4096 })).length, 1);
    assert.deepStrictEqual(await readTextSummaries([dir], 'late', { headBytes: 4096 }), []);
    assert.deepStrictEqual(
      (await readTextSummaries([dir], 'late')).map((t) => t.step),
      [2001],
    );
  });

  it('indexes the steps of one tag, follows new ones, and reads a step’s text on request', async () => {
    const writer = new EventFileWriter(dir);
    writer
      .addText('samples', 'one', 1)
      .addScalar('reward', 1, 1)
      .addText('other', 'x', 2)
      .addText('samples', 'three', 3);
    const index = new TextTagIndex([dir], 'samples');
    assert.deepStrictEqual(await index.steps(), [1, 3]);
    assert.deepStrictEqual(
      (await index.at(3)).map((t) => t.text),
      ['three'],
    );
    assert.deepStrictEqual(await index.at(2), []);
    writer.addText('samples', 'four', 4);
    assert.deepStrictEqual((await index.poll()).newSteps, [4]);
    assert.deepStrictEqual((await index.poll()).newSteps, []);
  });

  it('takes note of the history at the first poll and reads it only when steps are asked for', async () => {
    const writer = new EventFileWriter(dir).addText('samples', 'old', 1);
    const index = new TextTagIndex([dir], 'samples');
    assert.deepStrictEqual((await index.poll()).newSteps, []);
    writer.addText('samples', 'new', 2);
    assert.deepStrictEqual((await index.poll()).newSteps, [2]);
    assert.deepStrictEqual(await index.steps(), [1, 2]);
    assert.deepStrictEqual(
      (await index.at(1)).map((t) => t.text),
      ['old'],
    );
  });

  it('shows a step logged again after a resume (in a newer file) as its latest copy only', async () => {
    new EventFileWriter(dir, { time: 1767268800 }).addText('samples', 'before the crash', 5);
    new EventFileWriter(dir, { time: 1767270000 }).addText('samples', 'after the resume', 5);
    const index = new TextTagIndex([dir], 'samples');
    assert.deepStrictEqual(await index.steps(), [5]);
    assert.deepStrictEqual(
      (await index.at(5)).map((t) => t.text),
      ['after the resume'],
    );
  });
});
