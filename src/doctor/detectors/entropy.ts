// entropy-collapse: the policy's entropy (averaged over the window) falls below a
// small share of where the run started (verl #5953). Samples add how many groups
// are identical at the collapsed steps.
import type { SampleGroup } from '../../runs/model';
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, metric, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { percent, RollingWindow, round, say, StartingValues } from '../window';
import { nearlyIdentical } from './groups';

export function entropyCollapse(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  const recent = new RollingWindow(t.window);
  const start = new StartingValues(t.window);
  let identical: { step: number; share: number } | undefined;

  return {
    onRow(row) {
      const value = metric(row, 'entropy');
      if (value === undefined) return;
      recent.push(row.step, value);
      start.offer(row.step, value);
      if (!start.complete || recent.size < t.window || row.step <= (start.lastStep ?? 0)) return;
      const now = recent.mean();
      const atStart = start.mean();
      if (atStart > 0 && now <= t.entropyCollapseFraction * atStart)
        where.hold({
          step: row.step,
          score: atStart / Math.max(now, 1e-12),
          values: { entropy: round(now), at_start: round(atStart) },
        });
    },
    onSamples(step: number, groups: SampleGroup[]) {
      if (groups.length > 0 && where.held && step >= where.first)
        identical = { step, share: groups.filter(nearlyIdentical).length / groups.length };
    },
    dropFrom(step) {
      where.dropFrom(step);
      recent.dropFrom(step);
      start.dropFrom(step);
      if (identical && identical.step >= step) identical = undefined;
    },
    findings(): Finding[] {
      const mark = where.latest();
      if (!mark) return [];
      const groups = identical
        ? `; at step ${identical.step}, ${percent(identical.share)} of groups had identical completions`
        : '';
      const evidence = identical
        ? { ...mark.values, identical_group_share: round(identical.share) }
        : mark.values;
      return [
        findingOf('entropy-collapse', 'warning', where, {
          message: `Entropy fell to ${say(mark.values.entropy)} by step ${mark.step}, from ${say(mark.values.at_start)} at the start${groups}`,
          why: 'With entropy near zero the model samples almost the same completion every time: groups lose their spread, advantages vanish and the run stops exploring, usually for good (verl #5953).',
          tryThis:
            'Raise temperature, lower learning_rate, raise beta, or use a larger epsilon_high (clip-higher, DAPO) so that unlikely tokens can still gain probability; an entropy bonus also helps.',
          evidence,
          metrics: ['entropy'],
        }),
      ];
    },
  };
}
