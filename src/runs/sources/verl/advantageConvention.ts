// Which of verl's GRPO conventions a run used (norm_adv_by_std_in_grpo: true is the
// default, false is Dr. GRPO). The config is not next to the logs, but each step's metrics
// carry the range of the advantages verl used (metric_utils.py critic/advantages/max|min):
// the convention whose advantages, computed from the step's dump, span that range is the
// run's. Until a step's range has been read, verl's default is used.
import type { MetricRow } from '../../model';
import {
  type VerlAdvantageConvention,
  VERL_DEFAULT_CONVENTION,
  VERL_GRPO_EPSILON,
  verlGroupAdvantages,
} from './advantages';

const DR_GRPO: VerlAdvantageConvention = { normByStd: false, epsilon: VERL_GRPO_EPSILON };
const REMEMBERED_STEPS = 10_000;
/** verl computes in float32: ranges agree to about 1e-6 relative; allow more. */
const TOLERANCE = 1e-3;

export class AdvantageConventionProbe {
  private readonly ranges = new Map<number, { max: number; min: number }>();
  private decided: VerlAdvantageConvention | undefined;

  /** Remembers a metric row's advantage range (rows from the metrics feed). */
  note(row: MetricRow): void {
    const max = row['critic/advantages/max'];
    const min = row['critic/advantages/min'];
    if (typeof max !== 'number' || typeof min !== 'number') return;
    this.ranges.delete(row.step);
    this.ranges.set(row.step, { max, min });
    if (this.ranges.size > REMEMBERED_STEPS) this.ranges.delete(this.ranges.keys().next().value as number);
  }

  /** The convention for a step's groups of rewards (a ConventionChoice). */
  readonly choose = (step: number, scores: number[][]): VerlAdvantageConvention => {
    if (this.decided) return this.decided;
    const range = this.ranges.get(step);
    if (!range) return VERL_DEFAULT_CONVENTION;
    // A step where both conventions give the same range (all groups of equal rewards) tells nothing.
    const matching = [VERL_DEFAULT_CONVENTION, DR_GRPO].filter((c) => spans(scores, c, range));
    if (matching.length === 1) this.decided = matching[0];
    return this.decided ?? VERL_DEFAULT_CONVENTION;
  };
}

function spans(
  scores: number[][],
  convention: VerlAdvantageConvention,
  range: { max: number; min: number },
): boolean {
  const all = scores.flatMap((group) => verlGroupAdvantages(group, convention));
  return close(Math.max(...all), range.max) && close(Math.min(...all), range.min);
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(b));
}
