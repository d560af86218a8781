import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { TrainerStateFeed } from '../../../../src/runs/sources/trl/historyFeed';
import { TrainerStateCache } from '../../../../src/runs/sources/trl/trainerState';
import { TrlRunWriter } from '../../../fixtures/writers/trlRun';
import { makeTempDir, removeDir } from '../../runs/tempDir';

const options = {
  rewardFuncs: ['accuracy_reward'],
  numGenerations: 2,
  promptsPerStep: 1,
  maxSteps: 20,
  saveSteps: 5,
  logCompletions: false,
};

describe('TRL metrics from trainer_state.json', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('trl-history-')));
  afterEach(() => removeDir(dir));

  it('reads the newest checkpoint and reports later checkpoints as appended rows', async () => {
    const run = new TrlRunWriter(dir, options);
    run.steps(10);
    const feed = new TrainerStateFeed(new TrainerStateCache(dir));
    const first = await feed.tail(3);
    assert.deepStrictEqual(
      first.rows.map((r) => r.step),
      [8, 9, 10],
    );
    assert.strictEqual(first.rows[2].lr, 1e-6 * (1 - 10 / 20));
    assert.deepStrictEqual((await feed.poll()).rows, []);
    run.steps(5);
    const next = await feed.poll();
    assert.strictEqual(next.restarted, undefined);
    assert.deepStrictEqual(
      next.rows.map((r) => r.step),
      [11, 12, 13, 14, 15],
    );
  });

  it('starts over when the history no longer begins with what was read (a resume from an earlier checkpoint)', async () => {
    const run = new TrlRunWriter(dir, options);
    run.steps(10);
    const feed = new TrainerStateFeed(new TrainerStateCache(dir));
    await feed.tail(100);
    // Resumed from checkpoint-5 with other values: transformers loads that history and saves checkpoint-10 again.
    const resumed = new TrlRunWriter(dir, options);
    resumed.steps(5);
    resumed.logHistory.push(...run.logHistory.slice(5).map((e) => ({ ...e, loss: 9 })));
    resumed.globalStep = 10;
    fs.writeFileSync(path.join(dir, 'checkpoint-10', 'trainer_state.json'), resumed.stateJson());
    const poll = await feed.poll();
    assert.strictEqual(poll.restarted, true);
    assert.deepStrictEqual(
      poll.rows.map((r) => r.step),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.strictEqual(poll.rows[9].loss, 9);
  });

  it('takes the top-level trainer_state.json written at the end, without a bogus summary step', async () => {
    const run = new TrlRunWriter(dir, { ...options, evalSteps: 5, maxSteps: 10 });
    run.steps(10);
    run.finish();
    const rows: number[] = [];
    await new TrainerStateFeed(new TrainerStateCache(dir)).readAll((r) => rows.push(r.step));
    assert.deepStrictEqual(rows, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const tail = await new TrainerStateFeed(new TrainerStateCache(dir)).tail(1);
    assert.strictEqual(tail.rows[0]['eval/reward'], 0.6);
    assert.strictEqual(tail.rows[0].train_runtime, undefined);
  });

  it('waits while the newest trainer_state.json is half-written, then reads it', async () => {
    const run = new TrlRunWriter(dir, options);
    run.steps(5);
    const feed = new TrainerStateFeed(new TrainerStateCache(dir));
    await feed.tail(100);
    run.steps(5);
    const file = path.join(dir, 'checkpoint-10', 'trainer_state.json');
    const whole = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, whole.slice(0, whole.length / 2));
    assert.deepStrictEqual(await feed.poll(), { rows: [] });
    fs.writeFileSync(file, whole);
    assert.deepStrictEqual(
      (await feed.poll()).rows.map((r) => r.step),
      [6, 7, 8, 9, 10],
    );
  });
});
