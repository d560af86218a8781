// The pure parts of the playground's group cards (webview/common/groupCards.ts).
import * as assert from 'assert';
import { byReward, isZeroStd, type CardCompletion } from '../../../webview/common/groupCards';

const card = (reward?: number): CardCompletion => ({ text: '', reward, numTokens: 1, truncated: false });

describe('group cards', () => {
  it('sorts by reward, best first, unscored last, ties in order', () => {
    assert.deepStrictEqual(
      byReward([card(0), card(1), card(undefined), card(1), card(0.5)]),
      [1, 3, 4, 0, 2],
    );
  });

  it('marks zero std only when every completion is scored and all rewards are equal', () => {
    assert.strictEqual(isZeroStd([card(1), card(1), card(1)]), true);
    assert.strictEqual(isZeroStd([card(1), card(0)]), false);
    assert.strictEqual(isZeroStd([card(1), card(undefined)]), false);
    assert.strictEqual(isZeroStd([card(1)]), false);
  });
});
