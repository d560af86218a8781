import * as assert from 'assert';
import { CompletionsFeed } from '../../../../src/runs/sources/trl/completionsFeed';
import type { GroupingHints } from '../../../../src/runs/sources/trl/groups';
import { groupSizes } from '../../../../src/runs/sources/trl/groups';
import { TrlRunWriter, renderedPrompt } from '../../../fixtures/writers/trlRun';
import { makeTempDir, removeDir } from '../../runs/tempDir';

function feed(dir: string, hints: GroupingHints = {}): CompletionsFeed {
  return new CompletionsFeed(dir, async () => hints);
}

describe('TRL completions as sample groups', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('trl-groups-')));
  afterEach(() => removeDir(dir));

  it('makes a group of num_generations consecutive rows with the same prompt', async () => {
    const run = new TrlRunWriter(dir, {
      rewardFuncs: ['accuracy_reward'],
      numGenerations: 4,
      promptsPerStep: 3,
      maxSteps: 5,
    });
    run.step();
    const groups = await feed(dir, { numGenerations: 4 }).at(1);
    assert.deepStrictEqual(
      groups.map((g) => [g.step, g.group, g.completions.length]),
      [
        [1, 0, 4],
        [1, 1, 4],
        [1, 2, 4],
      ],
    );
    assert.strictEqual(groups[1].prompt, renderedPrompt(1, 1));
    assert.ok(groups[1].prompt.startsWith('system\nYou are a helpful assistant.\nuser\n'));
    assert.deepStrictEqual(
      groups[2].completions.map((c) => c.text),
      run.lastBatch.completion.slice(8, 12),
    );
    assert.deepStrictEqual(
      groups.flatMap((g) => g.completions.map((c) => c.advantage)),
      run.lastBatch.advantage,
    );
    assert.ok(groups.every((g) => g.completions.every((c) => c.advantage_computed === undefined)));
  });

  it('keeps two groups of the same prompt in one batch apart', async () => {
    const prompt = (_: number, g: number) => (g < 2 ? 'same question' : `question ${g}`);
    const run = new TrlRunWriter(dir, {
      rewardFuncs: ['r'],
      numGenerations: 3,
      promptsPerStep: 3,
      maxSteps: 5,
      prompt,
    });
    run.step();
    const withConfig = await feed(dir, { numGenerations: 3 }).at(1);
    assert.deepStrictEqual(
      withConfig.map((g) => [g.prompt, g.completions.length]),
      [
        ['same question', 3],
        ['same question', 3],
        ['question 2', 3],
      ],
    );
    // Without the config the group size is inferred from the other runs of prompts.
    const inferred = await feed(dir).at(1);
    assert.deepStrictEqual(
      inferred.map((g) => g.completions.length),
      [3, 3, 3],
    );
  });

  it('infers the group size from runs of equal prompts only as far as they tell', () => {
    assert.deepStrictEqual(groupSizes(['a', 'a', 'b', 'b', 'b', 'b']), [2, 2, 2]);
    assert.deepStrictEqual(groupSizes(['a', 'a', 'a', 'a']), [4]); // one prompt only: cannot tell
    assert.deepStrictEqual(groupSizes(['a', 'a', 'a', 'a'], 2), [2, 2]);
    assert.deepStrictEqual(groupSizes(['a', 'a', 'a', 'b'], 2), [3, 1]); // not TRL's layout: runs kept whole
  });

  it('makes every reward column a component and sums them with reward_weights', async () => {
    const run = new TrlRunWriter(dir, {
      rewardFuncs: ['accuracy_reward', 'format_reward'],
      rewardWeights: [1, 0.5],
      numGenerations: 2,
      promptsPerStep: 2,
      maxSteps: 5,
    });
    run.step();
    const [first] = await feed(dir, { numGenerations: 2, rewardWeights: [1, 0.5] }).at(1);
    const c = first.completions[1];
    const acc = run.lastBatch.accuracy_reward[1] as number;
    const fmt = run.lastBatch.format_reward[1] as number;
    assert.deepStrictEqual(c.rewards, { accuracy_reward: acc, format_reward: fmt });
    assert.strictEqual(c.reward, acc + 0.5 * fmt);
    const [plain] = await feed(dir, { numGenerations: 2 }).at(1);
    assert.strictEqual(plain.completions[1].reward, acc + fmt);
  });

  it('leaves out a reward function that returned None, and the total is NaN when none applied', async () => {
    const run = new TrlRunWriter(dir, {
      rewardFuncs: ['math', 'code'],
      numGenerations: 2,
      promptsPerStep: 1,
      maxSteps: 5,
      returnsNone: (f, _s, _g, i) => (i === 0 ? f === 'code' : true),
    });
    run.step();
    const [group] = await feed(dir, { numGenerations: 2 }).at(1);
    assert.deepStrictEqual(group.completions[0].rewards, { math: run.lastBatch.math[0] });
    assert.strictEqual(group.completions[0].reward, run.lastBatch.math[0]);
    assert.deepStrictEqual(group.completions[1].rewards, {});
    assert.ok(Number.isNaN(group.completions[1].reward));
    assert.strictEqual(group.completions[1].advantage, 0); // TRL: nan_to_num
  });

  it('takes reward columns by the names in the metrics, not extra float columns', async () => {
    const run = new TrlRunWriter(dir, {
      rewardFuncs: ['accuracy_reward', 'length_debug'],
      numGenerations: 2,
      promptsPerStep: 1,
      maxSteps: 5,
    });
    run.step();
    const [group] = await feed(dir, { numGenerations: 2, rewardNames: new Set(['accuracy_reward']) }).at(1);
    assert.deepStrictEqual(Object.keys(group.completions[0].rewards), ['accuracy_reward']);
  });

  it('keeps a log_extra text column out of the rewards', async () => {
    const logExtra = { name: 'solution', value: (_s: number, g: number) => `answer ${g}` };
    const run = new TrlRunWriter(dir, {
      rewardFuncs: ['r'],
      numGenerations: 2,
      promptsPerStep: 2,
      maxSteps: 5,
      logExtra,
    });
    run.step();
    const groups = await feed(dir).at(1);
    assert.deepStrictEqual(groups[1].completions[0].rewards, { r: run.lastBatch.r[2] });
    assert.deepStrictEqual(groups[1].completions[0].advantage, run.lastBatch.advantage[2]);
  });

  it('computes advantages when the file has none, and says so', async () => {
    const run = new TrlRunWriter(dir, {
      rewardFuncs: ['r'],
      numGenerations: 4,
      promptsPerStep: 2,
      maxSteps: 5,
      advantageColumn: false,
    });
    run.step();
    const groups = await feed(dir, { numGenerations: 4 }).at(1);
    const advantages = groups.flatMap((g) => g.completions.map((c) => c.advantage));
    (run.lastBatch.advantage as number[]).forEach((expected, i) =>
      assert.ok(Math.abs(advantages[i] - expected) < 1e-9),
    );
    assert.ok(groups.every((g) => g.completions.every((c) => c.advantage_computed === true)));
  });

  it('does not claim token counts TRL does not log', async () => {
    new TrlRunWriter(dir, { rewardFuncs: ['r'], numGenerations: 2, promptsPerStep: 1, maxSteps: 5 }).step();
    const [group] = await feed(dir).at(1);
    assert.strictEqual(group.completions[0].num_tokens, undefined, 'not logged by TRL: not guessed');
    assert.strictEqual(group.completions[0].truncated, undefined);
    assert.strictEqual(group.completions[0].tokens, undefined);
  });
});
