// non-finite: NaN or Inf in the loss, grad norm, KL, reward or advantages. Our run
// directory writes them as null; samples keep the null, a foreign source may pass NaN.
// A failed run whose reason names NaN/Inf counts too (the trainer stops on them).
import type { MetricRow, SampleGroup } from '../../runs/model';
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, type Detector } from '../detector';
import { Occurrence } from '../occurrence';

const WATCHED = ['loss', 'grad_norm', 'kl', 'reward', 'reward_std', 'entropy'];
const NAMES_NAN = /\b(nan|inf|infinity|non-finite|not finite)\b/i;

const WHY =
  'A NaN or Inf in the loss or gradients reaches the weights at the next update, and every step after it learns nothing; a NaN reward or advantage does the same through the loss.';
const TRY =
  'Resume from a checkpoint before the first bad step with a lower learning_rate (a tenth), gradient clipping (max_grad_norm 1.0) and fp32 or bf16 instead of fp16; check that every reward function returns a finite number (invalid_reward: fail stops on the first bad one).';

export function nonFinite(_t: DoctorThresholds): Detector {
  const where = new Occurrence();
  let lastStep = 0;
  let failure: string | undefined; // a failed event seen before the rows that say its step
  const bad = (value: unknown) => value === null || (typeof value === 'number' && !Number.isFinite(value));
  return {
    onRow(row: MetricRow) {
      lastStep = row.step;
      const names = WATCHED.filter((name) => name in row && bad(row[name]));
      if (names.length > 0)
        where.hold({ step: row.step, score: names.length, values: { metrics: names.join(', ') } });
    },
    onSamples(step: number, groups: SampleGroup[]) {
      const refs = groups.filter((g) => g.completions.some((c) => bad(c.reward) || bad(c.advantage)));
      if (refs.length === 0) return;
      const values = { groups_with_non_finite: refs.length, groups: groups.length };
      where.hold({
        step,
        score: refs.length,
        values,
        groups: refs.slice(0, 8).map((g) => ({ step, group: g.group })),
      });
    },
    onEvent(event: Record<string, unknown>) {
      const message = typeof event.message === 'string' ? event.message : '';
      if (event.event === 'failed' && NAMES_NAN.test(message)) failure = message.slice(0, 200);
    },
    dropFrom(step: number) {
      where.dropFrom(step);
    },
    findings(): Finding[] {
      if (failure !== undefined && !where.held) where.hold({ step: lastStep, score: 1, values: { failure } });
      failure = undefined;
      const first = where.held ? where.worst() : undefined;
      if (!first) return [];
      return [
        findingOf('non-finite', 'error', where, {
          message: messageOf(where),
          why: WHY,
          tryThis: TRY,
          evidence: first.values,
          metrics: metricsOf(first.values),
        }),
      ];
    },
  };
}

function messageOf(where: Occurrence): string {
  const mark = where.worst();
  const others =
    where.count > 1
      ? ` (and ${where.count - 1} more step${where.count > 2 ? 's' : ''} up to ${where.last})`
      : '';
  if (mark?.values.metrics)
    return `${String(mark.values.metrics)} became NaN or Inf at step ${where.first}${others}`;
  if (mark?.values.failure)
    return `The run failed on a NaN or Inf after step ${mark.step}: ${String(mark.values.failure)}`;
  return `Rewards or advantages are NaN or Inf in ${String(mark?.values.groups_with_non_finite)} groups at step ${where.first}${others}`;
}

function metricsOf(values: Record<string, number | string>): string[] {
  return typeof values.metrics === 'string' ? values.metrics.split(', ') : ['loss'];
}
