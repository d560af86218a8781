// no-learning-signal and zero-std-groups. A group whose completions all get the same
// reward has zero advantage everywhere: it adds nothing to the policy gradient
// (trl #3857, #3452). From frac_reward_zero_std (or reward_std 0, or loss and grad
// norm both 0) per step; groups with zero spread in the samples are named.
import type { GroupRef } from '../finding';
import type { MetricRow, SampleGroup } from '../../runs/model';
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, metric, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { percent, RollingWindow, round, StartingValues } from '../window';
import { hasZeroSpread } from './groups';

const NEAR_ZERO = 1e-8;

export function learningSignal(t: DoctorThresholds): Detector {
  const none = new Occurrence();
  const zeroStd = new Occurrence();
  const shares = new RollingWindow(t.window);
  const start = new StartingValues(t.window);
  const examples = new RollingWindow(24); // zero-spread groups seen in samples: step, group
  let streakFrom: number | undefined;
  let sawMetric = false;
  let sampledStreak = 0;

  function zeroStdShareOf(row: MetricRow): number | undefined {
    const frac = metric(row, 'frac_reward_zero_std');
    if (frac !== undefined) return frac;
    const std = metric(row, 'reward_std');
    return std !== undefined && std <= NEAR_ZERO ? 1 : undefined;
  }

  function noGradient(row: MetricRow): boolean {
    const loss = metric(row, 'loss');
    const grad = metric(row, 'grad_norm');
    return loss !== undefined && grad !== undefined && Math.abs(loss) <= NEAR_ZERO && grad <= NEAR_ZERO;
  }

  function noteShare(step: number, share: number): void {
    shares.push(step, share);
    start.offer(step, share);
    if (shares.size < Math.ceil(t.window / 2)) return;
    const now = shares.mean();
    const rise = start.complete && step > (start.lastStep ?? 0) ? now - start.mean() : 0;
    if (now >= t.zeroStdWarn || rise >= t.zeroStdRise)
      zeroStd.hold({
        step,
        score: now,
        values: { zero_std_share: round(now), at_start: round(start.mean()) },
      });
  }

  return {
    onRow(row) {
      const share = zeroStdShareOf(row);
      if (share !== undefined) {
        sawMetric ||= metric(row, 'frac_reward_zero_std') !== undefined;
        noteShare(row.step, share);
      }
      const silent = (share !== undefined && share >= t.noSignalZeroStdFraction) || noGradient(row);
      if (!silent) return void (streakFrom = undefined);
      streakFrom ??= row.step;
      if (row.step - streakFrom + 1 < t.noSignalSteps) return;
      const values = {
        zero_std_share: round(share ?? NaN),
        loss: round(metric(row, 'loss') ?? NaN),
        grad_norm: round(metric(row, 'grad_norm') ?? NaN),
      };
      none.holdSince(streakFrom, { step: row.step, score: row.step - streakFrom + 1, values });
    },
    onSamples(step: number, groups: SampleGroup[]) {
      const flat = groups.filter(hasZeroSpread);
      for (const g of flat.slice(0, 4)) examples.push(step, g.group);
      if (sawMetric || groups.length === 0) return;
      const share = flat.length / groups.length;
      sampledStreak = share >= t.zeroStdWarn ? sampledStreak + 1 : 0;
      if (sampledStreak >= 2)
        zeroStd.hold({ step, score: share, values: { zero_std_share: round(share), groups: groups.length } });
    },
    dropFrom(step) {
      for (const o of [none, zeroStd]) o.dropFrom(step);
      for (const w of [shares, examples]) w.dropFrom(step);
      start.dropFrom(step);
      streakFrom = streakFrom !== undefined && streakFrom >= step ? undefined : streakFrom;
    },
    findings(): Finding[] {
      const found: Finding[] = [];
      if (none.held) found.push(withGroups(noSignalFinding(none), examples.recent, none));
      if (zeroStd.held) found.push(withGroups(zeroStdFinding(zeroStd), examples.recent, zeroStd));
      return found;
    },
  };
}

function withGroups(
  finding: Finding,
  examples: { step: number; value: number }[],
  where: Occurrence,
): Finding {
  const refs: GroupRef[] = examples
    .filter((e) => e.step >= where.first && e.step <= where.last)
    .map((e) => ({ step: e.step, group: e.value }));
  if (refs.length > 0 && !finding.groups) finding.groups = refs;
  return finding;
}

function noSignalFinding(where: Occurrence): Finding {
  const mark = where.latest();
  const share = mark?.values.zero_std_share;
  const message =
    typeof share === 'number' && share > 0
      ? `No learning signal for ${where.count} steps (${where.first}–${where.last}): ${percent(share)} of groups gave every completion the same reward`
      : `No learning signal for ${where.count} steps (${where.first}–${where.last}): loss and grad norm are zero`;
  return findingOf('no-learning-signal', 'error', where, {
    message,
    why: 'GRPO learns only from differences within a group: when every completion of a prompt gets the same reward, all advantages are zero, the loss is zero and the weights do not move (trl #3857, #3452).',
    tryThis:
      'Make the task match the model (prompts it sometimes solves), give partial credit in the reward, raise num_generations or temperature for more varied completions, and check the reward functions are not constant.',
    evidence: mark?.values ?? {},
    metrics: ['frac_reward_zero_std', 'reward_std', 'loss', 'grad_norm'],
  });
}

function zeroStdFinding(where: Occurrence): Finding {
  const mark = where.latest();
  const now = Number(mark?.values.zero_std_share ?? 0);
  const atStart = mark?.values.at_start;
  const since =
    typeof atStart === 'number' && atStart < now - 0.05 ? ` (${percent(atStart)} at the start)` : '';
  return findingOf('zero-std-groups', 'warning', where, {
    message: `${percent(now)} of groups have zero reward spread at step ${mark?.step ?? where.last}${since}`,
    why: 'A group whose completions all score the same has zero advantage and teaches nothing; when most groups are like that, each step learns from a few prompts only and the run slows down or stalls.',
    tryThis:
      'Filter out prompts the model always or never solves, add partial credit to the reward, or raise num_generations or temperature; scale_rewards "none" (Dr. GRPO) does not help here, the spread itself is missing.',
    evidence: mark?.values ?? {},
    metrics: ['frac_reward_zero_std'],
  });
}
