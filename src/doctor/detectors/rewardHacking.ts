// reward-hacking: a reward component that measures correctness (its name says so:
// accuracy, correct, exact match…) falls well below its best, while the total reward
// or another component rises. Windowed means of rewards/<name>/mean and reward; the
// best of each correctness component is kept with the other means at that time.
import type { MetricRow } from '../../runs/model';
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { RollingWindow, round } from '../window';
import { COMPONENT, componentLabel as label, CORRECTNESS } from './groups';

const MAX_COMPONENTS = 16;

type Kind = 'total' | 'correctness' | 'component' | 'other';

interface Best {
  step: number;
  value: number;
  others: Record<string, number>;
}

export function rewardHacking(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  const windows = new Map<string, RollingWindow>(); // 'reward' and each component
  const best = new Map<string, Best>(); // per correctness component

  const kinds = new Map<string, Kind>(); // each metric name, classified once

  function kindOf(key: string): Kind {
    let kind = kinds.get(key);
    if (kind === undefined) {
      kind =
        key === 'reward'
          ? 'total'
          : !COMPONENT.test(key)
            ? 'other'
            : CORRECTNESS.test(key)
              ? 'correctness'
              : 'component';
      if (kinds.size < 512) kinds.set(key, kind);
    }
    return kind;
  }

  function windowOf(name: string): RollingWindow | undefined {
    if (!windows.has(name) && windows.size < MAX_COMPONENTS + 1)
      windows.set(name, new RollingWindow(t.window));
    return windows.get(name);
  }

  function means(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, w] of windows) if (w.size >= t.window) out[name] = w.mean();
    return out;
  }

  function check(row: MetricRow, name: string, now: Record<string, number>): void {
    const value = now[name];
    if (value === undefined) return;
    const top = best.get(name);
    if (!top || value > top.value) return void best.set(name, { step: row.step, value, others: now });
    if (top.value < t.hackingMinBest || value > top.value * (1 - t.hackingDrop)) return;
    const risen = Object.entries(now)
      .filter(([other]) => kindOf(other) === 'component' || kindOf(other) === 'total')
      .map(([other, v]) => ({ other, rise: v - (top.others[other] ?? v) }))
      .sort((a, b) => b.rise - a.rise)[0];
    if (!risen || risen.rise < t.hackingRise) return;
    where.hold({
      step: row.step,
      score: (top.value - value) / top.value,
      values: {
        component: label(name),
        best: round(top.value),
        best_step: top.step,
        now: round(value),
        rising: label(risen.other),
        rise: round(risen.rise),
      },
    });
  }

  return {
    onRow(row) {
      let correctness = false;
      for (const key in row) {
        const kind = kindOf(key);
        const value = row[key];
        if (kind === 'other' || typeof value !== 'number' || !Number.isFinite(value)) continue;
        windowOf(key)?.push(row.step, value);
        correctness ||= kind === 'correctness';
      }
      if (!correctness) return;
      const now = means();
      for (const name of Object.keys(now)) if (kindOf(name) === 'correctness') check(row, name, now);
    },
    dropFrom(step) {
      where.dropFrom(step);
      for (const w of windows.values()) w.dropFrom(step);
      for (const [name, top] of best) if (top.step >= step) best.delete(name);
    },
    findings(): Finding[] {
      const mark = where.latest();
      if (!mark) return [];
      const v = mark.values;
      return [
        findingOf('reward-hacking', 'warning', where, {
          message: `${v.component} fell from ${v.best} (step ${v.best_step}) to ${v.now} at step ${mark.step} while ${v.rising} rose by ${v.rise}`,
          why: 'The policy is earning reward by a route that does not make it more correct: a component it can satisfy cheaply (format, length, agreement) outweighs the one that measures the task.',
          tryThis: `Lower the weight of ${v.rising} or cap it, make it conditional on a correct answer, or raise the correctness weight; read the completions of the late steps to see what is being rewarded.`,
          evidence: v,
          metrics: ['reward', `rewards/${v.component}/mean`, `rewards/${v.rising}/mean`].filter(
            (m) => m !== 'rewards/reward/mean',
          ),
        }),
      ];
    },
  };
}
