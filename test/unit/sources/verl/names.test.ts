import * as assert from 'assert';
import { timingName, verlRow } from '../../../../src/runs/sources/verl/names';

describe('verl metric names', () => {
  it('maps verl names onto canonical names and keeps unknown names as they are', () => {
    const row = verlRow(3, {
      'critic/score/mean': 0.5,
      'critic/score/max': 1,
      'critic/rewards/mean': 0.45,
      'actor/entropy': 0.9,
      'actor/pg_clipfrac': 0.02,
      'actor/pg_clipfrac_lower': 0.001,
      'actor/pg_loss': -0.1,
      'actor/grad_norm': 1.2,
      'actor/lr': 1e-6,
      'actor/kl_coef': 0.001,
      'response_length/mean': 120,
      'response_length/max': 512,
      'response_length/min': 8,
      'response_length/clip_ratio': 0.1,
      'training/global_step': 3,
    });
    assert.deepStrictEqual(row, {
      step: 3,
      reward: 0.5,
      'critic/score/max': 1,
      'critic/rewards/mean': 0.45,
      entropy: 0.9,
      'clip_ratio/region_mean': 0.02,
      'actor/pg_clipfrac_lower': 0.001,
      loss: -0.1,
      grad_norm: 1.2,
      lr: 1e-6,
      beta: 0.001,
      'completions/mean_length': 120,
      'completions/max_length': 512,
      'completions/min_length': 8,
      'completions/clipped_ratio': 0.1,
      'training/global_step': 3,
    });
  });

  it('takes kl from the KL to the reference, never from ppo_kl (old vs current policy)', () => {
    const row = verlRow(1, { 'actor/ppo_kl': 0.3, 'actor/reward_kl_penalty': 0.2, 'actor/kl_loss': 0.1 });
    assert.strictEqual(row.kl, 0.1);
    assert.strictEqual(row['actor/ppo_kl'], 0.3);
    assert.strictEqual(verlRow(1, { 'actor/ppo_kl': 0.3, 'actor/reward_kl_penalty': 0.2 }).kl, 0.2);
    assert.strictEqual(verlRow(1, { 'actor/ppo_kl': 0.3 }).kl, undefined);
  });

  it('writes timing_s/<phase> as timing/<phase>_s, with our names for the main phases', () => {
    assert.strictEqual(timingName('timing_s/old_log_prob'), 'timing/old_log_prob_s');
    assert.strictEqual(timingName('actor/lr'), 'actor/lr');
    const row = verlRow(1, {
      'timing_s/gen': 10,
      'timing_s/ref': 2,
      'timing_s/update_actor': 5,
      'timing_s/step': 20,
      'timing_s/reward': 1,
      'timing_s/adv': 0.1,
    });
    assert.deepStrictEqual(row, {
      step: 1,
      'timing/generate_s': 10,
      'timing/reference_s': 2,
      'timing/update_s': 5,
      'timing/step_s': 20,
      'timing/reward_s': 1,
      'timing/adv_s': 0.1,
    });
  });
});
