import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { isOpenRlhfLogdir } from '../../../../src/runs/sources/openrlhf/detect';
import {
  findOpenRlhfRuns,
  openRlhfParts,
  openRlhfSource,
} from '../../../../src/runs/sources/openrlhf/source';
import { EventFileWriter } from '../../../fixtures/writers/tfevents';
import { makeTempDir, removeDir } from '../../runs/tempDir';
import { criticOnlyStatus, grpoStatus, logEval, logTrain } from './logTrain';

describe('the OpenRLHF source', () => {
  let root: string;
  let logdir: string;
  beforeEach(() => {
    root = makeTempDir();
    logdir = path.join(root, 'tensorboard', 'ppo_0101T12:00'); // <tensorboard_dir>/<wandb.run_name>
  });
  afterEach(() => removeDir(root));

  it('maps OpenRLHF’s tags onto canonical names and keeps the others less train/', async () => {
    const writer = new EventFileWriter(logdir);
    logTrain(writer, 1, grpoStatus(1));
    logEval(writer, 1, { eval_pass1: 0.4 });
    const [run] = await findOpenRlhfRuns(logdir, fs.readdirSync(logdir));
    const parts = openRlhfParts(run);
    const { rows } = await parts.metrics.tail(10);
    assert.strictEqual(rows.length, 1);
    // the file the run doctor's Problems go on
    assert.strictEqual((await parts.facts!()).mainFile, writer.path);
    const f = Math.fround;
    const row = rows[0];
    assert.deepStrictEqual(
      {
        reward: row.reward,
        reward_std: row.reward_std,
        kl: row.kl,
        loss: row.loss,
        lr: row.lr,
        grad_norm: row.grad_norm,
        clip: row['clip_ratio/region_mean'],
        length: row['completions/mean_length'],
        clipped: row['completions/clipped_ratio'],
        generate: row['timing/generate_s'],
        update: row['timing/update_s'],
        step_s: row['timing/step_s'],
        make_experience: row['timing/make_experience_s'],
      },
      {
        reward: f(0.11),
        reward_std: f(0.3),
        kl: f(0.001),
        loss: f(-0.02),
        lr: f(1e-6),
        grad_norm: f(0.8),
        clip: f(0.05),
        length: 201,
        clipped: 0.125,
        generate: 10,
        update: 6,
        step_s: 20.5,
        make_experience: 4,
      },
    );
    assert.strictEqual(row.return, f(0.109));
    assert.strictEqual(row['rollout/reward_mean'], f(0.11));
    assert.strictEqual(row['eval/eval_pass1'], f(0.4));
    assert.ok(!Object.keys(row).some((k) => k.startsWith('train/')));
  });

  it('tells an OpenRLHF logdir from a generic one by the first tags of its newest file', async () => {
    logTrain(new EventFileWriter(logdir), 1, grpoStatus(1));
    assert.strictEqual(await isOpenRlhfLogdir(logdir), true);
    const generic = path.join(root, 'generic');
    new EventFileWriter(generic).addScalar('train/loss', 1, 1).addScalar('train/reward', 0.5, 1);
    assert.strictEqual(await isOpenRlhfLogdir(generic), false);
    assert.deepStrictEqual(await findOpenRlhfRuns(generic, fs.readdirSync(generic)), []);
  });

  it('recognises a run whose critic trains first (no actor tags yet)', async () => {
    logTrain(new EventFileWriter(logdir), 1, criticOnlyStatus());
    assert.strictEqual(await isOpenRlhfLogdir(logdir), true);
  });

  it('looks past a newest file that holds only its file_version record (a process just restarted)', async () => {
    logTrain(new EventFileWriter(logdir, { time: 1767268800 }), 1, grpoStatus(1));
    new EventFileWriter(logdir, { time: 1767270000 });
    assert.strictEqual(await isOpenRlhfLogdir(logdir), true);
  });

  it('finds one run per logdir, named after OpenRLHF’s run name', async () => {
    logTrain(new EventFileWriter(logdir), 1, grpoStatus(1));
    const found = await findOpenRlhfRuns(logdir, fs.readdirSync(logdir));
    assert.deepStrictEqual(found, [
      { id: logdir, dir: logdir, source: 'openrlhf', name: 'ppo_0101T12:00', watch: [logdir] },
    ]);
    assert.deepStrictEqual(await findOpenRlhfRuns(root, fs.readdirSync(root)), []);
  });

  it('opens as a run whose summary follows the steps logged', async () => {
    const writer = new EventFileWriter(logdir);
    for (let step = 1; step <= 3; step++) logTrain(writer, step, grpoStatus(step));
    const [run] = await openRlhfSource.find(logdir, fs.readdirSync(logdir));
    const reader = openRlhfSource.open(run);
    await reader.open();
    assert.deepStrictEqual([reader.summary.sourceLabel, reader.summary.step], ['OpenRLHF', 3]);
    assert.strictEqual(reader.summary.latestReward, Math.fround(0.13));
    logTrain(writer, 4, grpoStatus(4));
    await reader.update([writer.path]);
    assert.strictEqual(reader.summary.step, 4);
    reader.dispose();
  });
});
