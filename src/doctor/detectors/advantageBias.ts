// advantage-bias: a group's advantages do not average to zero. Every group-relative
// estimator (GRPO with any scale_rewards, Dr. GRPO, RLOO) subtracts the group mean,
// so a nonzero mean is a bug in the trainer or in how it logs advantages. Advantages
// GRPO Lens computed itself (advantage_computed) are not judged.
import type { SampleGroup } from '../../runs/model';
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { percent, round } from '../window';

interface Bias {
  group: number;
  mean: number;
  scale: number;
}

function biasOf(group: SampleGroup, tolerance: number): Bias | undefined | 'unbiased' {
  const cs = group.completions;
  if (cs.length < 2 || cs.some((c) => c.advantage_computed)) return undefined;
  const adv = cs.map((c) => c.advantage);
  if (!adv.every((a) => typeof a === 'number' && Number.isFinite(a))) return undefined;
  const mean = adv.reduce((s, a) => s + a, 0) / adv.length;
  const scale = adv.reduce((s, a) => s + Math.abs(a), 0) / adv.length;
  if (scale === 0) return 'unbiased';
  return Math.abs(mean) > tolerance * scale ? { group: group.group, mean, scale } : 'unbiased';
}

export function advantageBias(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  let examined = 0;
  let biased = 0;

  return {
    onSamples(step: number, groups: SampleGroup[]) {
      const judged = groups.map((g) => biasOf(g, t.advantageBiasTolerance)).filter((b) => b !== undefined);
      const bad = judged.filter((b): b is Bias => b !== 'unbiased');
      examined += judged.length;
      biased += bad.length;
      if (judged.length === 0 || bad.length / judged.length < t.advantageBiasShare) return;
      const worst = bad.reduce((w, b) => (Math.abs(b.mean) > Math.abs(w.mean) ? b : w));
      where.hold({
        step,
        score: bad.length / judged.length,
        values: {
          biased_share: round(bad.length / judged.length),
          worst_group: worst.group,
          worst_mean_advantage: round(worst.mean),
          mean_abs_advantage: round(worst.scale),
        },
        groups: bad.slice(0, 6).map((b) => ({ step, group: b.group })),
      });
    },
    dropFrom(step) {
      where.dropFrom(step);
    },
    findings(): Finding[] {
      const mark = where.worst();
      if (!mark) return [];
      const v = mark.values;
      return [
        findingOf('advantage-bias', 'warning', where, {
          message: `Advantages do not average to zero in ${percent(Number(v.biased_share))} of groups at step ${mark.step} (group ${v.worst_group}: mean ${v.worst_mean_advantage}, typical size ${v.mean_abs_advantage})`,
          why: "GRPO subtracts each group's mean reward, so a group's advantages always sum to zero; when they do not, the trainer computed or logged them wrongly (groups mixed up, a wrong num_generations, advantages from another step) and the update is biased.",
          tryThis:
            'Check that num_generations matches how completions are grouped (and the batch size is a multiple of it), that logged advantages come from the same step as the rewards, and that no reward is added after advantages are computed.',
          evidence: { ...v, groups_examined: examined, groups_biased: biased },
          metrics: ['reward'],
        }),
      ];
    },
  };
}
