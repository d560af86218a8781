import * as assert from 'assert';
import { completionPath, decodeAddress, encodeAddress } from '../../../src/inspect/completionUri';
import { renderCompletionDocument, RULE } from '../../../src/inspect/documentText';
import type { SampleGroup } from '../../../src/runs/model';

const group: SampleGroup = {
  step: 40,
  group: 2,
  prompt: 'What is 2+2?\nAnswer briefly.',
  reference: '4',
  completions: [
    {
      text: 'It is 4',
      reward: 1.2,
      rewards: { accuracy: 1, format: 0.2 },
      advantage: 0.87,
      num_tokens: 3,
      truncated: false,
      tokens: ['It', ' is', ' 4'],
      logprobs: [-1, -2, -3],
    },
    { text: '</script>\u202E', reward: 0, rewards: {}, advantage: -0.87, num_tokens: 2, truncated: true },
  ],
};

describe('inspected completion document', () => {
  it('has a header with prompt, reference, reward breakdown and advantage, then the text as logged', () => {
    const d = renderCompletionDocument('demo', group, 0);
    const lines = d.text.split('\n');
    assert.match(lines[0], /step 40 · group 2 · completion 1 of 2/);
    assert.match(lines[1], /reward 1.2 \(accuracy 1, format 0.2\) · advantage \+0.87 · 3 tokens/);
    assert.match(lines[2], /^# prompt: {4}What is 2\+2\?/);
    assert.match(lines[3], /^# {12}Answer briefly\./);
    assert.match(d.text, /# reference: 4/);
    assert.strictEqual(lines[d.headerLines - 1], RULE);
    assert.strictEqual(d.text.slice(d.bodyOffset), 'It is 4');
    assert.ok(d.hasTokens);
  });

  it('opens completions without token data as plain text with the header', () => {
    const d = renderCompletionDocument('demo', group, 1);
    assert.ok(!d.hasTokens);
    assert.match(d.text, /no token data was logged/);
    assert.match(d.text, /advantage -0.87 · 2 tokens · truncated/);
    assert.strictEqual(d.text.slice(d.bodyOffset), '</script>\u202E');
  });

  it('round-trips completion addresses through the URI', () => {
    const a = { runId: '/w/runs/my run', step: 4, group: 1, index: 3 };
    assert.deepStrictEqual(decodeAddress(encodeAddress(a)), a);
    assert.strictEqual(decodeAddress('{"runId":1}'), undefined);
    assert.strictEqual(decodeAddress('not json'), undefined);
    assert.strictEqual(completionPath('my run/../x', a), '/my_run_.._x/step-4/group-1/completion-4.txt');
  });
});
