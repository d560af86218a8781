// verl's metric names (verl/trainer/ppo/metric_utils.py, core_algos.py, workers/actor/dp_actor.py,
// workers/fsdp_workers.py) mapped onto our canonical names (docs/run-format.md). Names not
// listed are kept as verl writes them.
import type { MetricRow } from '../../model';
import { canonicalRow, type NameTable, type PrefixRules } from '../canonicalNames';

export const VERL_NAMES: NameTable = {
  // token_level_scores summed per response: the reward before any KL-in-reward penalty.
  'critic/score/mean': 'reward',
  // KL to the reference: actor/kl_loss (use_kl_loss, the GRPO recipes) is preferred;
  // actor/reward_kl_penalty is the same KL when it is put in the reward (use_kl_in_reward).
  // actor/ppo_kl is NOT mapped: it is the KL between the old and the current policy.
  'actor/kl_loss': 'kl',
  'actor/reward_kl_penalty': 'kl',
  'actor/kl_coef': 'beta',
  'actor/entropy': 'entropy',
  // Fraction of tokens where the clipped term was taken, on either side: TRL's region.
  // actor/pg_clipfrac_lower is kept as it is: it counts dual-clip (ratio > clip_ratio_c,
  // A < 0), not TRL's clip_ratio/low_mean (ratio < 1 - epsilon, A < 0).
  'actor/pg_clipfrac': 'clip_ratio/region_mean',
  // The policy-gradient term only (verl adds kl_loss * kl_coef to it for the update).
  'actor/pg_loss': 'loss',
  'actor/grad_norm': 'grad_norm',
  // the critic of verl's PPO (GAE): value loss and explained variance, as our PPO names them
  'critic/vf_loss': 'value_loss',
  'critic/vf_explained_var': 'explained_variance',
  'critic/vf_clipfrac': 'value_clip_ratio',
  'actor/lr': 'lr',
  'response_length/mean': 'completions/mean_length',
  'response_length/max': 'completions/max_length',
  'response_length/min': 'completions/min_length',
  'response_length/clip_ratio': 'completions/clipped_ratio',
  // timing_s/<phase> is renamed timing/<phase>_s first (timingName), then these apply.
  'timing/gen_s': 'timing/generate_s',
  'timing/ref_s': 'timing/reference_s',
  'timing/update_actor_s': 'timing/update_s',
};

export const VERL_PREFIXES: PrefixRules = [];

const TIMING = 'timing_s/';

/** verl's `timing_s/<phase>` (seconds) written the canonical way: `timing/<phase>_s`. */
export function timingName(name: string): string {
  return name.startsWith(TIMING) ? `timing/${name.slice(TIMING.length)}_s` : name;
}

/** One file-logger record's `data` as a canonical metric row. */
export function verlRow(step: number, data: Record<string, unknown>): MetricRow {
  const renamed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data)) renamed[timingName(name)] = value;
  return canonicalRow(step, renamed, VERL_NAMES, VERL_PREFIXES);
}
