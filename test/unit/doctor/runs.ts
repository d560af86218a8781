// Written metric rows and sample groups for the doctor's unit tests: a healthy GRPO
// run (noisy but steady) that each test bends into one failure.
import type { Completion, MetricRow, SampleGroup } from '../../../src/runs/model';
import { createRunDoctor } from '../../../src/doctor/doctor';
import type { Finding, FindingId, RunDoctor } from '../../../src/doctor/finding';

/** A deterministic wobble in [-1, 1], so that rows look measured, not constant. */
export function wobble(step: number, salt = 0): number {
  return Math.sin(step * 12.9898 + salt * 78.233) * 0.5 + Math.sin(step * 3.1 + salt) * 0.5;
}

/** A healthy step: reward rising slowly, KL small, entropy steady, half the groups with spread. */
export function healthyRow(step: number): MetricRow {
  return {
    step,
    time: 1_700_000_000 + step * 2,
    reward: 0.3 + step * 0.001 + 0.05 * wobble(step, 1),
    reward_std: 0.3 + 0.05 * wobble(step, 2),
    frac_reward_zero_std: 0.3 + 0.1 * wobble(step, 3),
    'rewards/accuracy/mean': 0.3 + step * 0.001 + 0.05 * wobble(step, 1),
    'rewards/format/mean': 0.5 + 0.05 * wobble(step, 4),
    kl: 0.02 + 0.005 * wobble(step, 5),
    loss: 0.01 + 0.01 * wobble(step, 6),
    grad_norm: 0.5 + 0.1 * wobble(step, 7),
    entropy: 1.2 + 0.05 * wobble(step, 8),
    'clip_ratio/region_mean': 0.01,
    'completions/mean_length': 40 + 2 * wobble(step, 9),
    'completions/clipped_ratio': 0.02,
    lr: 1e-6,
    'timing/step_s': 2,
  };
}

export function rows(
  from: number,
  to: number,
  change: (row: MetricRow) => MetricRow = (r) => r,
): MetricRow[] {
  const out: MetricRow[] = [];
  for (let step = from; step <= to; step++) out.push(change(healthyRow(step)));
  return out;
}

export function completion(
  text: string,
  reward: number,
  advantage: number,
  more: Partial<Completion> = {},
): Completion {
  return { text, reward, rewards: { accuracy: reward }, advantage, num_tokens: 5, truncated: false, ...more };
}

/** A group with varied completions whose advantages average to zero. */
export function healthyGroup(step: number, group: number, g = 4): SampleGroup {
  const rewards: number[] = Array.from({ length: g }, (_, i) => (i % 2 === 0 ? 1 : 0));
  const mean = rewards.reduce((s, r) => s + r, 0) / g;
  return {
    step,
    group,
    prompt: `${group}+${step}=`,
    completions: rewards.map((r, i) => completion(`answer ${i} at ${step}`, r, r - mean)),
  };
}

export function doctorWith(metricRows: MetricRow[], groups: SampleGroup[] = []): RunDoctor {
  const doctor = createRunDoctor();
  doctor.addMetrics(metricRows);
  doctor.addSamples(groups);
  return doctor;
}

export function only(findings: Finding[], id: FindingId): Finding[] {
  return findings.filter((f) => f.id === id);
}

export function ids(findings: Finding[]): FindingId[] {
  return findings.map((f) => f.id);
}
