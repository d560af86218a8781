// GRPO advantages the way verl computes them (verl/trainer/ppo/core_algos.py,
// compute_grpo_outcome_advantage), since verl's rollout dumps do not hold them:
// A_i = (r_i - mean) / (std + epsilon), std the sample std (torch.std), epsilon 1e-6;
// a group of one response has mean 0 and std 1; norm_adv_by_std_in_grpo = false
// (Dr. GRPO) only centres. src/grpo/advantages.ts differs in the group of one (0 there).
import { mean, sampleStd } from '../../../grpo/advantages';

export const VERL_GRPO_EPSILON = 1e-6;

export interface VerlAdvantageConvention {
  normByStd: boolean;
  epsilon: number;
}

export const VERL_DEFAULT_CONVENTION: VerlAdvantageConvention = {
  normByStd: true,
  epsilon: VERL_GRPO_EPSILON,
};

export function verlGroupAdvantages(
  scores: readonly number[],
  convention: VerlAdvantageConvention = VERL_DEFAULT_CONVENTION,
): number[] {
  const single = scores.length === 1;
  const m = single ? 0 : mean(scores);
  const std = single ? 1 : sampleStd(scores);
  return scores.map((r) => (convention.normByStd ? (r - m) / (std + convention.epsilon) : r - m));
}
