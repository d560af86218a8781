// truncation: a large share of completions hit max_completion_length without ending.
// From completions/clipped_ratio (averaged over the window), else from the samples'
// `truncated` flags; the groups with the most cut completions are named.
import type { SampleGroup } from '../../runs/model';
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, metric, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { percent, RollingWindow, round } from '../window';
import { truncatedShare } from './groups';

export function truncation(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  const shares = new RollingWindow(t.window);
  let sawMetric = false;
  let lengthNow: number | undefined;

  return {
    onRow(row) {
      const share = metric(row, 'completions/clipped_ratio');
      lengthNow = metric(row, 'completions/mean_length') ?? lengthNow;
      if (share === undefined) return;
      sawMetric = true;
      shares.push(row.step, share);
      const avg = shares.mean();
      if (shares.size >= Math.ceil(t.window / 2) && avg >= t.truncationShare)
        where.hold({
          step: row.step,
          score: avg,
          values: { truncated_share: round(avg), mean_length: round(lengthNow ?? NaN) },
        });
    },
    onSamples(step: number, groups: SampleGroup[]) {
      const per = groups.map((g) => ({ g, share: truncatedShare(g) })).filter((x) => x.share !== undefined);
      if (per.length === 0) return;
      const share = per.reduce((s, x) => s + (x.share ?? 0), 0) / per.length;
      const worst = per.filter((x) => (x.share ?? 0) > 0).sort((a, b) => (b.share ?? 0) - (a.share ?? 0));
      const refs = worst.slice(0, 4).map((x) => ({ step, group: x.g.group }));
      if (sawMetric) {
        // the metric decides; the samples only name groups at steps where it holds
        if (refs.length > 0 && step >= where.first && step <= where.last)
          where.hold({ step, score: share, values: { truncated_share: round(share) }, groups: refs });
      } else if (share >= t.truncationShare)
        where.hold({ step, score: share, values: { truncated_share: round(share) }, groups: refs });
    },
    dropFrom(step) {
      where.dropFrom(step);
      shares.dropFrom(step);
    },
    findings(): Finding[] {
      if (!where.held) return [];
      const mark = where.worst();
      const share = Number(mark?.values.truncated_share ?? 0);
      return [
        findingOf('truncation', 'warning', where, {
          message: `${percent(share)} of completions hit max_completion_length without ending (step ${mark?.step}; steps ${where.first}–${where.last})`,
          why: 'A cut completion has no final answer, so its reward says little, and its last tokens are pushed by an advantage meant for a whole answer; with many cut, the model learns to ramble or is punished for reasoning.',
          tryThis:
            "Raise max_completion_length, or reward ending on time (a format or length penalty); TRL's mask_truncated_completions (DAPO) leaves cut completions out of the loss.",
          evidence: mark?.values ?? {},
          metrics: ['completions/clipped_ratio', 'completions/mean_length'],
        }),
      ];
    },
  };
}
