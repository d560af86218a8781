// mode-collapse: many groups whose completions are all (or nearly all) the same text,
// at several sampled steps in a row. Groups that a correctness reward says are solved
// do not count: one right answer every time is what an easy prompt should give.
import type { SampleGroup } from '../../runs/model';
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { percent, round } from '../window';
import { distinctTexts, nearlyIdentical, solved } from './groups';

export function modeCollapse(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  let streak = 0;
  let lastStep = -1;

  return {
    onSamples(step: number, groups: SampleGroup[]) {
      const judged = groups.filter((g) => g.completions.length >= 2);
      if (judged.length === 0) return;
      const collapsed = judged.filter((g) => nearlyIdentical(g) && !solved(g));
      const share = collapsed.length / judged.length;
      streak = share >= t.modeCollapseShare && step > lastStep ? streak + 1 : 0;
      lastStep = step;
      if (streak < t.modeCollapseSteps) return;
      const example = collapsed[0];
      where.hold({
        step,
        score: share,
        values: {
          collapsed_share: round(share),
          groups: judged.length,
          distinct_in_example: distinctTexts(example),
          group_size: example.completions.length,
        },
        groups: collapsed.slice(0, 6).map((g) => ({ step, group: g.group })),
      });
    },
    dropFrom(step) {
      where.dropFrom(step);
      if (lastStep >= step) {
        streak = 0;
        lastStep = -1;
      }
    },
    findings(): Finding[] {
      const mark = where.latest();
      if (!mark) return [];
      return [
        findingOf('mode-collapse', 'warning', where, {
          message: `${percent(Number(mark.values.collapsed_share))} of groups at step ${mark.step} have (nearly) identical completions, and not because they are all correct`,
          why: 'When the G completions of a prompt are the same text, their rewards are equal, the advantages are zero and the prompt teaches nothing; the policy has stopped exploring, usually because entropy collapsed or a reward pays for sameness.',
          tryThis:
            'Raise temperature (and top_p to 1), lower learning_rate or raise beta; check that no reward (self-consistency, format) pays the same answer everywhere more than correctness.',
          evidence: mark.values,
          metrics: ['entropy', 'frac_reward_zero_std'],
        }),
      ];
    },
  };
}
