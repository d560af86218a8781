// reward-hacking, second form: one component dominates the total. Over the last
// 2 x baselineSteps steps the total reward moves with a component that does not measure
// correctness (correlation >= dominanceCorrelation) and with none that does (all below
// 0.3): whatever the weights, the policy is being paid for that component. Judged every
// `window` steps; needs a correctness component to compare with, else says nothing.
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { correlation, RollingWindow, round } from '../window';
import { COMPONENT, componentLabel as label, CORRECTNESS } from './groups';

const MAX_COMPONENTS = 8;
const WEAK = 0.3;

export function rewardDominance(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  const span = t.baselineSteps * 2;
  const total = new RollingWindow(span);
  const parts = new Map<string, RollingWindow>();
  let sinceCheck = 0;

  function judge(step: number): void {
    const reward = total.values();
    const corr = [...parts].map(([name, w]) => ({
      name,
      c: w.size === total.size ? correlation(w.values(), reward) : NaN,
    }));
    const right = corr.filter((x) => CORRECTNESS.test(x.name));
    const ruling = corr.filter((x) => !CORRECTNESS.test(x.name)).sort((a, b) => b.c - a.c)[0];
    if (right.length === 0 || !ruling || !(ruling.c >= t.dominanceCorrelation)) return;
    if (!right.every((x) => !(x.c >= WEAK))) return;
    const best = right.reduce((a, b) => ((b.c || 0) > (a.c || 0) ? b : a));
    where.hold({
      step,
      score: ruling.c,
      values: {
        component: label(ruling.name),
        correlation: round(ruling.c),
        correctness: label(best.name),
        correctness_correlation: round(best.c || 0),
      },
    });
  }

  return {
    onRow(row) {
      const reward = row.reward;
      if (typeof reward !== 'number' || !Number.isFinite(reward)) return;
      for (const key in row) {
        const value = row[key];
        if (!COMPONENT.test(key) || typeof value !== 'number' || !Number.isFinite(value)) continue;
        if (!parts.has(key) && parts.size < MAX_COMPONENTS) parts.set(key, new RollingWindow(span));
        parts.get(key)?.push(row.step, value);
      }
      total.push(row.step, reward);
      if (parts.size < 2 || total.size < span || ++sinceCheck < t.window) return;
      sinceCheck = 0;
      judge(row.step);
    },
    dropFrom(step) {
      where.dropFrom(step);
      total.dropFrom(step);
      for (const w of parts.values()) w.dropFrom(step);
    },
    findings(): Finding[] {
      const mark = where.latest();
      if (!mark) return [];
      const v = mark.values;
      return [
        findingOf('reward-hacking', 'warning', where, {
          message: `The total reward follows ${v.component} (correlation ${v.correlation}) and not ${v.correctness} (${v.correctness_correlation}) over the ${span} steps to ${mark.step}`,
          why: `The policy improves what ${v.component} measures, not the task: one component outweighs the one that checks correctness, so a higher reward no longer means a better model.`,
          tryThis: `Lower the weight of ${v.component} (or cap it, or pay it only for correct answers), raise the weight of ${v.correctness}, and read completions with a high reward to see what is paid for.`,
          evidence: v,
          metrics: ['reward', `rewards/${v.component}/mean`, `rewards/${v.correctness}/mean`],
        }),
      ];
    },
  };
}
