import * as assert from 'assert';
import type { MetricRow } from '../../../src/runs/model';
import { doctorWith, ids, only, rows, wobble } from './runs';

describe('run doctor: checks on metric rows', () => {
  it('a healthy run gives no finding', () => {
    assert.deepStrictEqual(doctorWith(rows(1, 500)).findings(), []);
  });

  it('no-learning-signal: every group with zero spread for 20 steps is an error over the whole streak', () => {
    const flat = (r: MetricRow) =>
      r.step >= 101 && r.step <= 130 ? { ...r, frac_reward_zero_std: 1, reward_std: 0 } : r;
    const [f] = only(doctorWith(rows(1, 200, flat)).findings(), 'no-learning-signal');
    assert.ok(f, 'finding expected');
    assert.strictEqual(f.severity, 'error');
    assert.deepStrictEqual(f.steps, [101, 130]);
    assert.match(f.message, /No learning signal for 30 steps \(101–130\): 100% of groups/);
    assert.match(f.why, /advantages are zero/);
    assert.match(f.tryThis, /num_generations/);
  });

  it('no-learning-signal: a streak shorter than noSignalSteps is not reported', () => {
    const flat = (r: MetricRow) => (r.step >= 101 && r.step <= 115 ? { ...r, frac_reward_zero_std: 1 } : r);
    assert.deepStrictEqual(only(doctorWith(rows(1, 200, flat)).findings(), 'no-learning-signal'), []);
  });

  it('no-learning-signal: loss and grad norm at zero with no zero-std metric (a foreign run)', () => {
    const zero = rows(1, 40).map((r) => ({ step: r.step, reward: 0.5, loss: 0, grad_norm: 0 }));
    const [f] = only(doctorWith(zero).findings(), 'no-learning-signal');
    assert.deepStrictEqual(f.steps, [1, 40]);
    assert.match(f.message, /loss and grad norm are zero/);
  });

  it('zero-std-groups: a high share, and a share that rises from where it started', () => {
    const high = only(
      doctorWith(rows(1, 100, (r) => ({ ...r, frac_reward_zero_std: 0.7 }))).findings(),
      'zero-std-groups',
    );
    assert.strictEqual(high.length, 1);
    assert.match(high[0].message, /^70% of groups have zero reward spread/);
    const rising = (r: MetricRow) => ({ ...r, frac_reward_zero_std: r.step < 100 ? 0.05 : 0.5 });
    const [f] = only(doctorWith(rows(1, 200, rising)).findings(), 'zero-std-groups');
    assert.match(f.message, /50% of groups .* \(5% at the start\)/);
    assert.ok(f.steps[0] > 100 && f.steps[0] < 120, String(f.steps));
  });

  it('truncation: completions/clipped_ratio averaged over the window', () => {
    const cut = (r: MetricRow) => ({ ...r, 'completions/clipped_ratio': r.step > 150 ? 0.6 : 0.02 });
    const [f] = only(doctorWith(rows(1, 200, cut)).findings(), 'truncation');
    assert.strictEqual(f.severity, 'warning');
    assert.ok(f.steps[0] > 150 && f.steps[0] <= 165, String(f.steps));
    assert.strictEqual(f.steps[1], 200);
    assert.match(f.message, /^60% of completions hit max_completion_length/);
    assert.deepStrictEqual(f.metrics, ['completions/clipped_ratio', 'completions/mean_length']);
  });

  it('kl-spike: KL far above its recent median, said with the numbers', () => {
    const spike = (r: MetricRow) => (r.step === 812 ? { ...r, kl: 4.1 } : r);
    const [f] = only(doctorWith(rows(1, 900, spike)).findings(), 'kl-spike');
    assert.deepStrictEqual(f.steps, [812, 812]);
    assert.deepStrictEqual(f.markSteps, [812]);
    assert.match(f.message, /^KL jumped to 4\.1 at step 812 \(recent median 0\.0\d+\)$/);
    assert.strictEqual(f.evidence.kl, 4.1);
    assert.deepStrictEqual(f.metrics, ['kl']);
    assert.match(f.tryThis, /beta/);
  });

  it('kl-spike: a KL that grows block after block', () => {
    const growing = (r: MetricRow) => ({
      ...r,
      kl: 0.01 * Math.exp(r.step / 60) * (1 + 0.05 * wobble(r.step)),
    });
    const found = only(doctorWith(rows(1, 300, growing)).findings(), 'kl-spike');
    assert.ok(
      found.some((f) => /keeps growing/.test(f.message)),
      JSON.stringify(found),
    );
  });

  it('grad-spike: a grad norm 30 times its median; a small absolute jump is not one', () => {
    const spike = (r: MetricRow) => (r.step === 300 ? { ...r, grad_norm: 15 } : r);
    const [f] = only(doctorWith(rows(1, 400, spike)).findings(), 'grad-spike');
    assert.deepStrictEqual(f.steps, [300, 300]);
    assert.match(f.message, /Grad norm jumped to 15 at step 300/);
    const tiny = (r: MetricRow) => ({ ...r, grad_norm: r.step === 300 ? 0.5 : 0.01 });
    assert.deepStrictEqual(only(doctorWith(rows(1, 400, tiny)).findings(), 'grad-spike'), []);
  });

  it('entropy-collapse: entropy below a tenth of its start', () => {
    const falling = (r: MetricRow) => ({ ...r, entropy: r.step < 100 ? 1.5 : 0.05 });
    const [f] = only(doctorWith(rows(1, 200, falling)).findings(), 'entropy-collapse');
    assert.ok(f.steps[0] > 100 && f.steps[0] < 120, String(f.steps));
    assert.match(f.message, /^Entropy fell to 0\.05 by step 200, from 1\.5 at the start/);
    assert.match(f.why, /verl #5953/);
  });

  it('high-clip-ratio: a quarter of tokens clipped; low + high when region is not logged', () => {
    const clipped = (r: MetricRow) => ({ ...r, 'clip_ratio/region_mean': 0.3 });
    assert.strictEqual(only(doctorWith(rows(1, 50, clipped)).findings(), 'high-clip-ratio').length, 1);
    const split = (r: MetricRow) => {
      const { ['clip_ratio/region_mean']: _, ...rest } = r;
      return { ...rest, 'clip_ratio/low_mean': 0.15, 'clip_ratio/high_mean': 0.1 } as MetricRow;
    };
    const [f] = only(doctorWith(rows(1, 50, split)).findings(), 'high-clip-ratio');
    assert.match(f.message, /^25% of tokens were clipped/);
    assert.deepStrictEqual(f.metrics, ['clip_ratio/low_mean', 'clip_ratio/high_mean']);
  });

  it('reward-hacking: accuracy falls while format rises; without a correctness component, nothing', () => {
    const hack = (r: MetricRow) => {
      const late = Math.max(0, r.step - 100) / 100;
      return { ...r, 'rewards/accuracy/mean': 0.5 - 0.45 * late, 'rewards/format/mean': 0.3 + 0.6 * late };
    };
    const [f] = only(doctorWith(rows(1, 200, hack)).findings(), 'reward-hacking');
    assert.match(
      f.message,
      /^accuracy fell from 0\.5 \(step \d+\) to 0\.\d+ at step 200 while format rose by/,
    );
    assert.ok(f.metrics.includes('rewards/accuracy/mean') && f.metrics.includes('rewards/format/mean'));
    const renamed = rows(1, 200, hack).map((r) => {
      const { ['rewards/accuracy/mean']: a, ...rest } = r;
      return { ...rest, 'rewards/style/mean': a } as MetricRow;
    });
    assert.deepStrictEqual(only(doctorWith(renamed).findings(), 'reward-hacking'), []);
  });

  it('reward-hacking: one component dominates the total (it moves with format, not with accuracy)', () => {
    const dominated = (r: MetricRow) => {
      const format = 0.5 + 0.4 * wobble(r.step, 4);
      const accuracy = 0.2 + 0.02 * Math.sin(r.step * 0.37);
      return {
        ...r,
        'rewards/format/mean': format,
        'rewards/accuracy/mean': accuracy,
        reward: 3 * format + accuracy,
      };
    };
    const found = only(doctorWith(rows(1, 200, dominated)).findings(), 'reward-hacking');
    assert.strictEqual(found.length, 1, JSON.stringify(found));
    assert.match(
      found[0].message,
      /^The total reward follows format \(correlation (1|0\.9\d*)\) and not accuracy \(0\.\d+\) over the 100 steps to 199$/,
    );
    assert.deepStrictEqual(found[0].metrics, ['reward', 'rewards/format/mean', 'rewards/accuracy/mean']);
    // the healthy run's reward moves with accuracy: no finding
    assert.deepStrictEqual(only(doctorWith(rows(1, 200)).findings(), 'reward-hacking'), []);
  });

  it('length-drift: length doubles while the reward rises with it (info)', () => {
    const longer = (r: MetricRow) => ({
      ...r,
      'completions/mean_length': 40 + r.step * 0.4,
      reward: 0.1 + r.step * 0.002 + 0.01 * wobble(r.step),
    });
    const [f] = only(doctorWith(rows(1, 200, longer)).findings(), 'length-drift');
    assert.strictEqual(f.severity, 'info');
    assert.match(f.message, /^Completion length grew from 4\d\.?\d* to \d+\.?\d* tokens/);
    const unrelated = (r: MetricRow) => ({
      ...r,
      'completions/mean_length': 40 + r.step * 0.4,
      reward: 0.3 + 0.05 * wobble(r.step),
    });
    assert.deepStrictEqual(only(doctorWith(rows(1, 200, unrelated)).findings(), 'length-drift'), []);
  });

  it('a foreign run that logs only reward and loss gives no finding from what it lacks', () => {
    const sparse = rows(1, 300).map((r) => ({ step: r.step, reward: r.reward, loss: r.loss }));
    assert.deepStrictEqual(ids(doctorWith(sparse).findings()), []);
  });
});
