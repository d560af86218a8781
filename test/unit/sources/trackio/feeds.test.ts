// The Trackio source against databases written as Trackio writes them (the fixture
// writer), while the writer holds its connection and nothing is checkpointed.
import * as assert from 'assert';
import type { FoundRun } from '../../../../src/runs/sources/source';
import { findTrackioRuns } from '../../../../src/runs/sources/trackio/find';
import { trackioParts } from '../../../../src/runs/sources/trackio/parts';
import { PYTHON, TrackioWriter, tempDir } from './writer';

const options = { python: PYTHON };

async function onlyRun(dir: string): Promise<FoundRun> {
  const runs = await findTrackioRuns(dir, ['proj.db'], options);
  assert.strictEqual(runs.length, 1);
  return runs[0];
}

describe('Trackio source: metrics and samples', () => {
  let writer: TrackioWriter;
  beforeEach(async () => {
    writer = await TrackioWriter.start(tempDir());
  });
  afterEach(async () => {
    await writer.close();
  });

  it('tails the last steps, under our names, from rows still only in the -wal file', async () => {
    await writer.log('grpo-1', [1, 2, 3, 4, 5]);
    assert.strictEqual(
      (await writer.send({ op: 'rows_in_main_file' })).rows,
      0,
      'rows must be in the WAL only',
    );
    const parts = trackioParts(await onlyRun(writer.dir), options);
    const { rows, bad } = await parts.metrics.tail(3);
    assert.deepStrictEqual(
      rows.map((r) => r.step),
      [3, 4, 5],
    );
    const last = rows[2];
    assert.strictEqual(last.reward, 0.5);
    assert.strictEqual(last.kl, 0.005);
    assert.strictEqual(last.lr, 1e-6 * 5);
    assert.strictEqual(last['completions/mean_length'], 25);
    assert.strictEqual(last['rewards/accuracy_reward/mean'], 0.05);
    assert.ok(!('train/reward' in last) && !('global_step' in last) && !('learning_rate' in last));
    assert.ok(Math.abs(last.time! - Date.now() / 1000) < 60, `time ${last.time}`);
    assert.deepStrictEqual(bad, {});
  });

  it('polls what the writer appends while it watches, then streams everything in order', async () => {
    await writer.log('grpo-1', [1, 2]);
    const parts = trackioParts(await onlyRun(writer.dir), options);
    await parts.metrics.tail(100);
    assert.deepStrictEqual((await parts.metrics.poll()).rows, []);
    await writer.log('grpo-1', [3, 4]);
    const polled = await parts.metrics.poll();
    assert.deepStrictEqual(
      polled.rows.map((r) => [r.step, r.reward]),
      [
        [3, 0.3],
        [4, 0.4],
      ],
    );
    const all: number[] = [];
    await parts.metrics.readAll((row) => all.push(row.step));
    assert.deepStrictEqual(all, [1, 2, 3, 4]);
  });

  it('keeps runs of one project apart', async () => {
    await writer.log('a', [1, 2]);
    await writer.log('b', [7]);
    const runs = await findTrackioRuns(writer.dir, ['proj.db'], options);
    const b = runs.find((r) => r.name === 'proj/b')!;
    const { rows } = await trackioParts(b, options).metrics.tail(10);
    assert.deepStrictEqual(
      rows.map((r) => r.step),
      [7],
    );
  });

  it("turns TRL's completions table into groups of consecutive rows with the same prompt", async () => {
    await writer.send({ op: 'config', run: 'grpo-1', config: { max_steps: 40, reward_weights: [1, 2] } });
    await writer.log('grpo-1', [1, 2, 3], true, 2, 4);
    const parts = trackioParts(await onlyRun(writer.dir), options);
    await parts.metrics.tail(10); // reward function names come from rewards/<name>/mean
    const facts = await parts.facts!();
    assert.strictEqual(facts.totalSteps, 40);
    assert.match(facts.mainFile ?? '', /\.db$/, "the project database: the run doctor's Problems go on it");
    assert.deepStrictEqual(await parts.samples!.steps(), [1, 2, 3]);
    const groups = await parts.samples!.at(2);
    assert.deepStrictEqual(
      groups.map((g) => [g.step, g.group, g.prompt, g.completions.length]),
      [
        [2, 0, 'prompt 0 at step 2', 4],
        [2, 1, 'prompt 1 at step 2', 4],
      ],
    );
    const [first, second] = groups[1].completions;
    assert.deepStrictEqual(first.rewards, { accuracy_reward: 0, format_reward: 0.5 });
    assert.strictEqual(first.reward, 0 * 1 + 0.5 * 2, 'weighted as reward_weights say');
    assert.deepStrictEqual(
      second.rewards,
      { accuracy_reward: 1 },
      'a NaN reward ("NaN" in the table) is left out',
    );
    assert.strictEqual(second.reward, 1);
    assert.deepStrictEqual(
      groups[1].completions.map((c) => c.advantage),
      [-1, 1, -1, 1],
    );
    assert.strictEqual(first.text, 'completion 0');
    await writer.log('grpo-1', [4]);
    assert.deepStrictEqual((await parts.samples!.poll()).newSteps, [4]);
  });

  it('reads databases of Trackio before 0.24 (no run_id column)', async () => {
    const old = await TrackioWriter.start(tempDir(), 'old', 'legacy');
    try {
      await old.log('r', [1, 2]);
      const [run] = await findTrackioRuns(old.dir, ['old.db'], options);
      assert.strictEqual(run.name, 'old/r');
      const parts = trackioParts(run, options);
      assert.deepStrictEqual(
        (await parts.metrics.tail(10)).rows.map((r) => r.step),
        [1, 2],
      );
      assert.deepStrictEqual(await parts.samples!.steps(), [1, 2]);
    } finally {
      await old.close();
    }
  });
});
