import * as assert from 'assert';
import { groupAdvantages, sampleStd } from '../../../src/grpo/advantages';

const close = (a: number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]) < 1e-9);

describe('group advantages', () => {
  it('centres and divides by the sample std plus 1e-4, as the trainer', () => {
    const [adv] = groupAdvantages([[1, 0, 0, 1]]);
    const std = sampleStd([1, 0, 0, 1]); // 0.5773…
    assert.ok(close(adv, [0.5 / (std + 1e-4), -0.5 / (std + 1e-4), -0.5 / (std + 1e-4), 0.5 / (std + 1e-4)]));
  });

  it('is zero for a group whose rewards are all equal', () => {
    assert.deepStrictEqual(groupAdvantages([[0.3, 0.3, 0.3]]), [[0, 0, 0]]);
  });

  it('scales by the batch std or not at all', () => {
    const groups = [
      [0, 1],
      [2, 4],
    ];
    const batch = sampleStd([0, 1, 2, 4]);
    assert.ok(close(groupAdvantages(groups, 'batch')[1], [-1 / (batch + 1e-4), 1 / (batch + 1e-4)]));
    assert.deepStrictEqual(groupAdvantages(groups, 'none'), [
      [-0.5, 0.5],
      [-1, 1],
    ]);
  });

  it('gives a single completion no advantage', () => {
    assert.deepStrictEqual(groupAdvantages([[5]]), [[0]]);
  });
});
