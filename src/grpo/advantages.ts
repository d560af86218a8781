// Group-relative advantages, as the trainer computes them (trainer/grpo_lens/grpo.py):
// A_i = (r_i - mean(r)) / (std(r) + eps), std the sample (unbiased) std, eps = 1e-4 as TRL.

export const ADVANTAGE_EPS = 1e-4;
export type ScaleRewards = 'group' | 'batch' | 'none';

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/**
 * Sample standard deviation (n - 1), torch.std's default; 0 for fewer than two values,
 * and exactly 0 when all values are equal (the mean's rounding would give ~1e-17).
 */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2 || values.every((v) => v === values[0])) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * Advantages of each group's completions. `groups` holds one reward list per prompt;
 * scale "group" divides by the group's std, "batch" by the std of all rewards, "none"
 * only centres (Dr. GRPO).
 */
export function groupAdvantages(
  groups: readonly (readonly number[])[],
  scale: ScaleRewards = 'group',
  eps = ADVANTAGE_EPS,
): number[][] {
  const batchStd = sampleStd(groups.flat());
  return groups.map((rewards) => {
    const m = mean(rewards);
    if (rewards.length < 2) return rewards.map(() => 0);
    const std = scale === 'group' ? sampleStd(rewards) : batchStd;
    return rewards.map((r) => (scale === 'none' ? r - m : (r - m) / (std + eps)));
  });
}
