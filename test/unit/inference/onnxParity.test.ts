// onnxruntime-node's logits for the committed export (test/fixtures/onnx) against the
// logits PyTorch computed for the same input when trainer/tests/test_export.py wrote it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { logSoftmax, row } from '../../../src/inference/distribution';
import { Engine } from '../../../src/inference/engine';

const ROOT = path.resolve(__dirname, '../../../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/onnx');
const saved = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'logits.json'), 'utf8'));

/**
 * Largest |a - b| / max(|b|, 1) over the tensor: relative error for logits of size >= 1,
 * absolute below (a logit of 0.0009 carries float32 noise of ~1e-6 whatever its size).
 * Seen: max |a - b| = 3e-6 on logits up to 16.
 */
function maxRelativeError(actual: ArrayLike<number>, expected: number[]): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1));
  }
  return worst;
}

describe('ONNX logits parity with PyTorch (committed fixture)', function () {
  this.timeout(20_000);
  const engine = new Engine({ executionProvider: 'cpu', cacheSize: 2, idleMs: 60_000 });
  after(() => engine.dispose());

  for (const name of ['policy', 'reference'] as const) {
    it(`${name}.onnx matches PyTorch within 1e-4 relative`, async () => {
      const { data, dims } = await engine.logits(path.join(FIXTURE, `${name}.onnx`), saved.input_ids);
      assert.deepStrictEqual(dims, saved[name].dims);
      const err = maxRelativeError(data, saved[name].data);
      assert.ok(err < 1e-4, `max relative error ${err}`);
    });
  }

  it('runs any sequence length and batch (dynamic axes)', async () => {
    const model = path.join(FIXTURE, 'policy.onnx');
    const short = await engine.logits(model, [[1, 20, 21]]);
    assert.deepStrictEqual(short.dims.slice(0, 2), [1, 3]);
    const wide = await engine.logits(model, [
      [1, 20],
      [1, 21],
      [1, 22],
    ]);
    assert.deepStrictEqual(wide.dims.slice(0, 2), [3, 2]);
  });

  it('scores completion tokens with log-probs equal to log_softmax of the PyTorch logits', async () => {
    const ids: number[] = saved.input_ids[0];
    const context = ids.slice(0, 7); // BOS + "12+34="
    const completion = ids.slice(7);
    const scored = await engine.score({
      model: path.join(FIXTURE, 'policy.onnx'),
      context,
      completion,
      topK: 5,
      temperature: 1,
    });
    const vocab = saved.policy.dims[2];
    const torchLogits = Float32Array.from(saved.policy.data);
    scored.forEach((token, j) => {
      const expected = logSoftmax(row(torchLogits, 0, context.length + j - 1, vocab))[completion[j]];
      assert.ok(Math.abs(token.logprob - expected) < 1e-4, `token ${j}: ${token.logprob} vs ${expected}`);
      assert.strictEqual(token.top.length, 5);
      assert.ok(token.entropy > 0);
    });
  });

  it('says clearly when a model file cannot be loaded', async () => {
    await assert.rejects(engine.logits(path.join(FIXTURE, 'tokenizer.json'), [[1]]), /Could not load/);
  });
});

describe('when onnxruntime-node cannot load', () => {
  it('says what happened and what to do, without a stack trace', async () => {
    const engine = new Engine({ executionProvider: 'cpu', cacheSize: 1, idleMs: 1000 }, () => {
      throw new Error(
        'Cannot find module ../bin/napi-v6/linux/arm64/onnxruntime_binding.node\nRequire stack:\n- x',
      );
    });
    await assert.rejects(
      engine.logits(path.join(FIXTURE, 'policy.onnx'), [[1]]),
      (err: Error & { code?: string }) =>
        err.code === 'runtime-missing' &&
        /ONNX Runtime could not be loaded on this platform .*Reinstall the extension/.test(err.message) &&
        !err.message.includes('Require stack'),
    );
  });
});
