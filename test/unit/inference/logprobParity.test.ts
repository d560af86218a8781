// Log-probs the extension computes from the ONNX exports against the ones the trainer
// logged in samples.jsonl. The fixture (test/fixtures/onnx/run) is a real tiny run written
// by trainer/tests/test_export.py: samples of step 2 were drawn by checkpoint step-000001.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { InferenceClient } from '../../../src/inference/client';
import { OnnxTokenDetailProvider } from '../../../src/inference/tokenDetailProvider';
import type { SampleGroup } from '../../../src/runs/model';

const ROOT = path.resolve(__dirname, '../../../..');
const RUN = path.join(ROOT, 'test/fixtures/onnx/run');
const groups: SampleGroup[] = fs
  .readFileSync(path.join(RUN, 'samples.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));

// The trainer logs 6 decimals; sampling ran with a KV cache and left padding in PyTorch.
const TOLERANCE = 1e-4;

describe('log-prob parity with the trainer (logged samples)', function () {
  this.timeout(30_000);
  const client = new InferenceClient({
    executionProvider: 'cpu',
    cacheSize: 2,
    idleMs: 60_000,
    workerPath: path.join(ROOT, 'out/src/inference/inference.worker.js'),
  });
  const provider = new OnnxTokenDetailProvider(client, () => ({ maxModelMB: 100 }));
  after(() => client.dispose());

  it('the fixture has completions with token details', () => {
    const completions = groups.flatMap((g) => g.completions);
    assert.ok(completions.length >= 4 && completions.every((c) => c.tokens && c.logprobs && c.ref_logprobs));
  });

  it('policy and reference log-probs of every logged token match within 1e-4', async () => {
    let worstPolicy = 0;
    let worstReference = 0;
    let compared = 0;
    for (const group of groups) {
      for (const completion of group.completions) {
        const details = await provider.describeTokens({
          runDir: RUN,
          checkpointDir: path.join(RUN, 'checkpoints/step-000001'),
          prompt: group.prompt,
          tokens: completion.tokens!,
          topK: 5,
        });
        details.forEach((d, i) => {
          worstPolicy = Math.max(worstPolicy, Math.abs(d.policyLogprob - completion.logprobs![i]));
          worstReference = Math.max(
            worstReference,
            Math.abs(d.referenceLogprob! - completion.ref_logprobs![i]),
          );
          compared++;
        });
      }
    }
    assert.ok(compared > 0);
    assert.ok(worstPolicy < TOLERANCE, `policy: worst |diff| ${worstPolicy} over ${compared} tokens`);
    assert.ok(
      worstReference < TOLERANCE,
      `reference: worst |diff| ${worstReference} over ${compared} tokens`,
    );
  });

  it('the sampled token is among the alternatives when the policy was confident', async () => {
    const group = groups[0];
    const completion = group.completions[0];
    const details = await provider.describeTokens({
      runDir: RUN,
      checkpointDir: path.join(RUN, 'checkpoints/step-000001'),
      prompt: group.prompt,
      tokens: completion.tokens!,
      topK: 5,
    });
    details.forEach((d, i) => {
      if (Math.exp(d.policyLogprob) > 0.3)
        assert.ok(d.policyTop.some((a) => a.token === completion.tokens![i]));
    });
  });

  it('given the step instead of a checkpoint, picks the checkpoint that sampled it', async () => {
    const group = groups[0];
    const completion = group.completions[0];
    const details = await provider.describeTokens({
      runDir: RUN,
      step: group.step,
      prompt: group.prompt,
      tokens: completion.tokens!,
      topK: 1,
    });
    details.forEach((d, i) => assert.ok(Math.abs(d.policyLogprob - completion.logprobs![i]) < TOLERANCE));
  });
});
