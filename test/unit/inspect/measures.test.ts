import * as assert from 'assert';
import { bucketOf, k3, measureInfo, tokenAt, tokenMeasures, tokenSpans } from '../../../src/inspect/measures';

describe('per-token measures', () => {
  it('k3 is zero when policy and reference agree and positive otherwise', () => {
    assert.strictEqual(k3(-1, -1), 0);
    const d = -2 - -1; // ref - logp
    assert.strictEqual(k3(-1, -2), Math.exp(d) - d - 1);
    assert.ok(k3(-3, -1) > 0 && k3(-1, -3) > 0);
  });

  it('computes log-probs, KL and ratio per token; missing reference leaves KL and ratio out', () => {
    const [m] = tokenMeasures([-0.5], [-1.5], 1);
    assert.strictEqual(m.ratio, Math.exp(1));
    assert.strictEqual(m.kl, k3(-0.5, -1.5));
    const [n] = tokenMeasures([-0.5], undefined, 1);
    assert.deepStrictEqual(n, { policyLogprob: -0.5, referenceLogprob: undefined });
    const [bad] = tokenMeasures(['x', null] as unknown[], [NaN], 1);
    assert.strictEqual(bad.policyLogprob, undefined);
  });

  it('buckets low log-probs, high KL, and ratios both ways in log space', () => {
    assert.strictEqual(bucketOf(measureInfo('policyLogprob'), -0.1), 0);
    assert.strictEqual(bucketOf(measureInfo('policyLogprob'), -6), 4);
    assert.strictEqual(bucketOf(measureInfo('kl'), 0.06), 2);
    assert.strictEqual(bucketOf(measureInfo('ratio'), 1), 0);
    assert.strictEqual(bucketOf(measureInfo('ratio'), Math.exp(1.2)), 3);
    assert.strictEqual(bucketOf(measureInfo('ratio'), Math.exp(-0.6)), -2);
    assert.strictEqual(bucketOf(measureInfo('kl'), undefined), 0);
  });

  it('finds each token in the text, also when tokens do not concatenate to it', () => {
    assert.deepStrictEqual(tokenSpans('ab cd', ['ab', ' c', 'd']), [
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 5 },
    ]);
    const spans = tokenSpans('hello world', ['hello', '<unk>', ' world']);
    assert.deepStrictEqual(spans[1], { start: 5, end: 5 });
    assert.deepStrictEqual(spans[2], { start: 5, end: 11 });
    assert.strictEqual(tokenAt(spans, 7), 2);
    assert.strictEqual(tokenAt(spans, 0), 0);
    assert.strictEqual(tokenAt(spans, 11), -1);
  });
});
