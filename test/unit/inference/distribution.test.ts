import * as assert from 'assert';
import { entropy, logSoftmax, summarizeRow, topK } from '../../../src/inference/distribution';

describe('distribution math', () => {
  it('logSoftmax normalises and respects temperature', () => {
    const logp = logSoftmax([1, 2, 3]);
    const total = Array.from(logp).reduce((s, x) => s + Math.exp(x), 0);
    assert.ok(Math.abs(total - 1) < 1e-12);
    const hot = logSoftmax([1, 2, 3], 2);
    assert.ok(Math.abs(hot[2] - hot[0] - 1) < 1e-12); // (3 - 1) / 2
  });

  it('stays finite for large logits', () => {
    const logp = logSoftmax([1000, 1001]);
    assert.ok(Number.isFinite(logp[0]) && Number.isFinite(logp[1]));
  });

  it('entropy is log(n) for a uniform distribution and 0 for a certain one', () => {
    assert.ok(Math.abs(entropy(logSoftmax([0, 0, 0, 0])) - Math.log(4)) < 1e-12);
    assert.ok(entropy(logSoftmax([0, -1e4])) < 1e-9);
  });

  it('topK returns the k most probable ids, most probable first, ties by lower id', () => {
    const logp = logSoftmax([0.5, 3, 1, 3, -2]);
    assert.deepStrictEqual(
      topK(logp, 3).map((r) => r.id),
      [1, 3, 2],
    );
    assert.strictEqual(topK(logp, 10).length, 5);
    assert.deepStrictEqual(topK(logp, 0), []);
  });
});

describe('summarizeRow', () => {
  it('agrees with logSoftmax, entropy and topK at any temperature', () => {
    const logits = Float32Array.from({ length: 500 }, (_, i) => Math.sin(i * 1.7) * 6 + (i % 7));
    for (const t of [1, 0.7, 2]) {
      const logp = logSoftmax(logits, t);
      const s = summarizeRow(logits, 42, 5, t);
      assert.ok(Math.abs(s.logprob - logp[42]) < 1e-9);
      assert.ok(Math.abs(s.entropy - entropy(logp)) < 1e-9);
      assert.deepStrictEqual(
        s.top.map((r) => r.id),
        topK(logp, 5).map((r) => r.id),
      );
      s.top.forEach((r) => assert.ok(Math.abs(r.prob - Math.exp(logp[r.id])) < 1e-12));
    }
  });
});
