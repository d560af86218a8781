import * as assert from 'assert';
import * as path from 'path';
import { verlGroupAdvantages } from '../../../../src/runs/sources/verl/advantages';
import { RolloutDirFeed } from '../../../../src/runs/sources/verl/rolloutFeed';
import { makeTempDir, removeDir } from '../../runs/tempDir';
import { writeVerl, type DumpOp } from './verlWriter';

// A step of GRPO with n = 4 responses per prompt, in the order balance_batch left them.
function shuffledStep(dir: string, step: number): DumpOp {
  return {
    op: 'dump',
    dir,
    step,
    inputs: [
      'user: 2+2?',
      'user: 3*3?',
      'user: 2+2?',
      'user: 3*3?',
      'user: 2+2?',
      'user: 2+2?',
      'user: 3*3?',
      'user: 3*3?',
    ],
    outputs: ['4', '9', 'five', '6', '4', 'four', '9', '9'],
    gts: ['4', '9', '4', '9', '4', '4', '9', '9'],
    scores: [1, 1, 0, 0, 1, 0, 1, 1],
    extra: {
      acc: [true, true, false, false, true, false, true, true],
      format: [0.5, 0.5, 0, 0.5, 0.5, 0.5, 0.5, 0.5],
      pred: ['4', '9', '', '6', '4', '', '9', '9'],
    },
  };
}

describe('verl rollout dumps', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('groups a reordered batch by its identical inputs, with references and reward components', async () => {
    writeVerl(shuffledStep(dir, 3));
    const feed = new RolloutDirFeed(dir);
    assert.deepStrictEqual(await feed.steps(), [3]);
    const groups = await feed.at(3);
    assert.deepStrictEqual(
      groups.map((g) => [g.step, g.group, g.prompt, g.reference, g.completions.map((c) => c.text)]),
      [
        [3, 0, 'user: 2+2?', '4', ['4', 'five', '4', 'four']],
        [3, 1, 'user: 3*3?', '9', ['9', '6', '9', '9']],
      ],
    );
    const first = groups[0].completions[1];
    assert.deepStrictEqual(first.rewards, { acc: 0, format: 0 });
    assert.strictEqual(first.reward, 0);
    assert.strictEqual(first.advantage_computed, true);
  });

  it('computes advantages as verl does: (r - mean) / (sample std + 1e-6)', async () => {
    writeVerl(shuffledStep(dir, 1));
    const [twoPlusTwo, threeTimesThree] = await new RolloutDirFeed(dir).at(1);
    // Rewards 1, 0, 1, 0: mean 0.5, sample std sqrt((4 * 0.25) / 3).
    const a = 0.5 / (Math.sqrt(1 / 3) + 1e-6);
    assertClose(
      twoPlusTwo.completions.map((c) => c.advantage),
      [a, -a, a, -a],
    );
    // Rewards 1, 0, 1, 1: mean 0.75, sample std sqrt((3 * 0.0625 + 0.5625) / 3) = 0.5.
    assertClose(
      threeTimesThree.completions.map((c) => c.advantage),
      [0.25 / 0.500001, -0.75 / 0.500001, 0.25 / 0.500001, 0.25 / 0.500001],
    );
  });

  it('follows verl for groups of one (mean 0, std 1) and for Dr. GRPO (no std)', () => {
    assertClose(verlGroupAdvantages([0.8]), [0.8 / (1 + 1e-6)]);
    assertClose(verlGroupAdvantages([1, 0, 0], { normByStd: false, epsilon: 1e-6 }), [2 / 3, -1 / 3, -1 / 3]);
    assertClose(verlGroupAdvantages([1, 1]), [0, 0]);
  });

  it('waits for a dump verl is still writing, then reports it as a new step', async () => {
    writeVerl(shuffledStep(dir, 1));
    const feed = new RolloutDirFeed(dir);
    assert.deepStrictEqual(await feed.steps(), [1]);
    writeVerl({ ...shuffledStep(dir, 2), first_bytes: 300 });
    assert.deepStrictEqual((await feed.poll()).newSteps, []);
    // Asked for anyway, the step shows only the responses whose lines are whole.
    const partial = (await feed.at(2)).flatMap((g) => g.completions);
    assert.ok(partial.length > 0 && partial.length < 8, `${partial.length} responses`);
    writeVerl(shuffledStep(dir, 2));
    assert.deepStrictEqual((await feed.poll()).newSteps, [2]);
    assert.strictEqual((await feed.at(2)).flatMap((g) => g.completions).length, 8);
    assert.deepStrictEqual(await feed.steps(), [1, 2]);
  });

  it('counts lines that are not responses, per file, in the next poll', async () => {
    writeVerl({
      op: 'dump',
      dir,
      step: 5,
      inputs: ['p', 'p'],
      outputs: ['a', 'b'],
      scores: ['__NaN__', 1],
    });
    const feed = new RolloutDirFeed(dir);
    await feed.steps();
    const groups = await feed.at(5);
    assert.deepStrictEqual(
      groups.map((g) => g.completions.map((c) => c.text)),
      [['b']],
    );
    assert.deepStrictEqual((await feed.poll()).bad, { '5.jsonl': 1 });
    assert.deepStrictEqual(await feed.at(99), []);
  });

  it('lists only <step>.jsonl files, in step order', async () => {
    for (const step of [10, 2, 1]) writeVerl({ ...shuffledStep(path.join(dir, 'rollouts'), step) });
    writeVerl({ op: 'log', path: path.join(dir, 'rollouts', 'notes.jsonl'), writer: 'json', lines: [] });
    assert.deepStrictEqual(await new RolloutDirFeed(path.join(dir, 'rollouts')).steps(), [1, 2, 10]);
  });
});

function assertClose(actual: number[], expected: number[]): void {
  assert.strictEqual(actual.length, expected.length);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-9, `${i}: ${v} vs ${expected[i]}`));
}
