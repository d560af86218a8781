// length-drift: the mean completion length (windowed) moved to `lengthDriftRatio`
// times (or that fraction of) where it started, and over the last steps it moved
// together with the reward: the reward is (also) paying for length.
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, metric, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { correlation, RollingWindow, round, StartingValues } from '../window';

export function lengthDrift(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  const lengths = new RollingWindow(t.baselineSteps * 2);
  const rewards = new RollingWindow(t.baselineSteps * 2);
  const latest = new RollingWindow(t.window);
  const start = new StartingValues(t.window);

  return {
    onRow(row) {
      const length = metric(row, 'completions/mean_length');
      const reward = metric(row, 'reward');
      if (length === undefined || reward === undefined) return;
      lengths.push(row.step, length);
      latest.push(row.step, length);
      rewards.push(row.step, reward);
      start.offer(row.step, length);
      if (!start.complete || lengths.size < 2 * t.window) return;
      const atStart = start.mean();
      const now = latest.mean();
      const ratio = now / Math.max(atStart, 1e-12);
      const drifted = ratio >= t.lengthDriftRatio || ratio <= 1 / t.lengthDriftRatio;
      if (!drifted) return;
      // in step with the reward: longer as the reward rises (or shorter as it rises)
      const corr = correlation(lengths.values(), rewards.values());
      const follows = ratio > 1 ? corr >= t.lengthRewardCorrelation : corr <= -t.lengthRewardCorrelation;
      if (!follows) return;
      where.hold({
        step: row.step,
        score: Math.abs(Math.log(ratio)),
        values: {
          mean_length: round(now),
          at_start: round(atStart),
          ratio: round(ratio),
          length_reward_correlation: round(corr),
        },
      });
    },
    dropFrom(step) {
      where.dropFrom(step);
      for (const w of [lengths, rewards, latest]) w.dropFrom(step);
      start.dropFrom(step);
    },
    findings(): Finding[] {
      const mark = where.latest();
      if (!mark) return [];
      const v = mark.values;
      const way = Number(v.ratio) >= 1 ? 'grew' : 'shrank';
      return [
        findingOf('length-drift', 'info', where, {
          message: `Completion length ${way} from ${v.at_start} to ${v.mean_length} tokens by step ${mark.step} (${v.ratio}×), in step with the reward (correlation ${v.length_reward_correlation})`,
          why: 'Length that follows the reward may be real progress (longer reasoning) or a reward that pays for length itself; the loss aggregation (loss_type grpo) also favours long wrong answers and short right ones.',
          tryThis:
            'Read completions from early and late steps; if length is being paid for, cap or remove the length component, or use loss_type dr_grpo or dapo, and watch completions/clipped_ratio as length nears max_completion_length.',
          evidence: v,
          metrics: ['completions/mean_length', 'reward'],
        }),
      ];
    },
  };
}
