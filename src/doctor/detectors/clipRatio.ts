// high-clip-ratio: a large share of tokens has its ratio clipped (averaged over the
// window): each update moves the policy further than epsilon allows.
import type { MetricRow } from '../../runs/model';
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, metric, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { percent, RollingWindow, round } from '../window';

/** clip_ratio/region_mean, else low + high, else TRL's older single clip_ratio. */
function clippedShare(row: MetricRow): { share: number; name: string } | undefined {
  const region = metric(row, 'clip_ratio/region_mean');
  if (region !== undefined) return { share: region, name: 'clip_ratio/region_mean' };
  const low = metric(row, 'clip_ratio/low_mean');
  const high = metric(row, 'clip_ratio/high_mean');
  if (low !== undefined || high !== undefined)
    return { share: (low ?? 0) + (high ?? 0), name: 'clip_ratio/low_mean' };
  const single = metric(row, 'clip_ratio');
  return single === undefined ? undefined : { share: single, name: 'clip_ratio' };
}

export function highClipRatio(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  const shares = new RollingWindow(t.window);
  let chart = 'clip_ratio/region_mean';

  return {
    onRow(row) {
      const found = clippedShare(row);
      if (!found) return;
      chart = found.name;
      shares.push(row.step, found.share);
      const avg = shares.mean();
      if (shares.size >= Math.ceil(t.window / 2) && avg >= t.clipRatioWarn)
        where.hold({ step: row.step, score: avg, values: { clipped_share: round(avg) } });
    },
    dropFrom(step) {
      where.dropFrom(step);
      shares.dropFrom(step);
    },
    findings(): Finding[] {
      const mark = where.worst();
      if (!mark) return [];
      return [
        findingOf('high-clip-ratio', 'warning', where, {
          message: `${percent(Number(mark.values.clipped_share))} of tokens were clipped around step ${mark.step} (steps ${where.first}–${where.last})`,
          why: 'A clipped token gets no gradient: when many are clipped, each update has moved the policy further than epsilon allows, most of the batch stops teaching, and the off-policy updates (num_iterations > 1) drift.',
          tryThis:
            'Lower learning_rate or num_iterations, or widen the clip range (epsilon, epsilon_high) if the moves are intended; check that the old log-probs come from the same model and temperature as sampling.',
          evidence: mark.values,
          metrics: [
            chart === 'clip_ratio/low_mean' ? 'clip_ratio/low_mean' : chart,
            ...(chart === 'clip_ratio/low_mean' ? ['clip_ratio/high_mean'] : []),
          ],
        }),
      ];
    },
  };
}
