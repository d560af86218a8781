import * as assert from 'assert';
import { ADVANTAGE_EPS, groupAdvantages } from '../../../src/grpo/advantages';
import { rewardStd, TEXT_LIMIT, toGroupView } from '../../../src/panels/samplesView';
import { secondsPerStep, toRunHeader } from '../../../src/panels/runHeader';
import type { Completion } from '../../../src/runs/model';

const c = (reward: number, text = 'x'): Completion => ({
  text,
  reward,
  rewards: { accuracy: reward },
  advantage: 0,
  num_tokens: 1,
  truncated: false,
  tokens: ['x'],
  logprobs: [-1],
});

describe('samples view', () => {
  it('marks zero-std groups and keeps token arrays on the host', () => {
    const g = toGroupView({ step: 1, group: 0, prompt: 'p', completions: [c(1), c(1)] });
    assert.ok(g.zeroStd);
    assert.strictEqual(g.rewardStd, 0);
    assert.ok(!('tokens' in g.completions[0]));
    assert.ok(g.completions[0].hasTokens);
    assert.ok(!toGroupView({ step: 1, group: 0, prompt: 'p', completions: [c(0), c(1)] }).zeroStd);
  });

  it('cuts long texts and says how long they were', () => {
    const g = toGroupView({
      step: 1,
      group: 0,
      prompt: 'p'.repeat(TEXT_LIMIT + 5),
      completions: [c(0, 'y'.repeat(1 << 20))],
    });
    assert.strictEqual(g.completions[0].text.length, TEXT_LIMIT);
    assert.strictEqual(g.completions[0].fullLength, 1 << 20);
    assert.strictEqual(g.promptFullLength, TEXT_LIMIT + 5);
  });

  it('survives malformed completions', () => {
    const bad = { text: 5, reward: 'x', rewards: null, advantage: null } as unknown as Completion;
    const g = toGroupView({ step: 1, group: 0, prompt: 'p', completions: [bad] });
    assert.deepStrictEqual(g.completions[0].rewards, {});
    assert.strictEqual(g.completions[0].reward, 0);
    assert.strictEqual(g.completions[0].text, '5');
  });

  it('shows the std the advantages divide by: the sample std, and 0 when all rewards are equal', () => {
    assert.strictEqual(rewardStd([0, 2]), Math.SQRT2);
    const rewards = [1, 0, 0, 1, 1, 0, 1, 0];
    const g = toGroupView({ step: 1, group: 0, prompt: 'p', completions: rewards.map((r) => c(r)) });
    const [advantages] = groupAdvantages([rewards]);
    // A_i = (r_i - mean) / (std + eps): the shown std is the one that gives the advantages.
    advantages.forEach((a, i) =>
      assert.ok(Math.abs(a - (rewards[i] - 0.5) / (g.rewardStd + ADVANTAGE_EPS)) < 1e-12),
    );
    const same = toGroupView({ step: 1, group: 0, prompt: 'p', completions: [c(0.1), c(0.1), c(0.1)] });
    assert.strictEqual(same.rewardStd, 0);
  });
});

describe('run header', () => {
  it('estimates the ETA from recent step times while running', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ step: i + 1, time: 100 + 2 * i }));
    assert.strictEqual(secondsPerStep(rows), 2);
    const summary = {
      id: 'r',
      dir: 'r',
      name: 'r',
      state: 'running' as const,
      step: 10,
      totalSteps: 20,
      latest: {},
      checkpoints: [],
      badLines: {},
      source: 'grpo-lens' as const,
      sourceLabel: 'GRPO Lens',
      capabilities: { control: true, tokenDetails: true, resume: true },
      problems: [],
    };
    assert.strictEqual(toRunHeader(summary, rows).etaSeconds, 20);
    assert.strictEqual(toRunHeader({ ...summary, state: 'finished' }, rows).etaSeconds, undefined);
    // In the supervised warm start: how far, out of the config's warm_start.steps.
    const warming = { ...summary, step: 0, warmupStep: 13, config: { warm_start: { steps: 250 } } };
    assert.deepStrictEqual(toRunHeader(warming, []).warmup, { step: 13, steps: 250 });
    assert.strictEqual(toRunHeader({ ...warming, step: 1 }, []).warmup, undefined, 'GRPO has begun');
    assert.strictEqual(toRunHeader({ ...warming, state: 'failed' }, []).warmup, undefined, 'it ended');
  });
});
