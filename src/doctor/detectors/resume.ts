// resume-discontinuity: a metric jumps at a resume point (verl #3754, open-r1 #450:
// a restored run whose reward, loss or learning rate does not continue where it
// left off). A resume point is a supersession (rows replaced from step N) or our
// trainer's `resumed` event with a checkpoint. The median of the 5 steps after it is
// compared with the median of the 5 before, in units of the usual step-to-step change.
import type { MetricRow } from '../../runs/model';
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, metric, type Detector } from '../detector';
import { Occurrence, type Mark, type Values } from '../occurrence';
import { median, round, say } from '../window';

const WATCHED = ['lr', 'reward', 'loss', 'kl', 'entropy', 'grad_norm', 'completions/mean_length'];
const SIDE = 5; // steps compared on each side
const NOISE_STEPS = 20; // steps before the resume that say how much a metric usually moves
const KEEP = NOISE_STEPS + SIDE + 8;
const MAX_PENDING = 16;

export function resumeDiscontinuity(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  let rows: MetricRow[] = [];
  const pending: number[] = [];
  const judged: number[] = [];

  function register(step: number): void {
    if (pending.includes(step) || judged.includes(step)) return;
    pending.push(step);
    if (pending.length > MAX_PENDING) pending.shift();
  }

  function judge(resumeStep: number): boolean {
    const after = rows.filter((r) => r.step >= resumeStep);
    if (after.length < SIDE) return false;
    const before = rows.filter((r) => r.step < resumeStep).slice(-NOISE_STEPS);
    const mark = jumpAt(resumeStep, before, after.slice(0, SIDE), t);
    if (mark) where.hold(mark);
    judged.push(resumeStep);
    if (judged.length > 64) judged.shift();
    return true;
  }

  return {
    onRow(row) {
      rows.push(row);
      if (rows.length > 2 * KEEP) rows = rows.slice(-KEEP);
      for (const step of [...pending]) if (judge(step)) pending.splice(pending.indexOf(step), 1);
    },
    onEvent(event) {
      if (event.event === 'resumed' && typeof event.checkpoint === 'string' && typeof event.step === 'number')
        register(event.step + 1);
    },
    dropFrom(step) {
      where.dropFrom(step);
      rows = rows.filter((r) => r.step < step);
      register(step);
    },
    findings(): Finding[] {
      const mark = where.worst();
      if (!mark) return [];
      const v = mark.values;
      return [
        findingOf('resume-discontinuity', 'warning', where, {
          message: `${v.metric} jumped from ${say(v.before)} to ${say(v.after)} at the resume at step ${mark.step} (${usualChange(v)})${where.count > 1 ? `; ${where.count} resumes with jumps` : ''}`,
          why: 'A resumed run should continue where it stopped; a jump at the resume point means something was not restored (optimizer or scheduler state, the data position, RNG, the reference model or the config), so the steps after it are a different run (verl #3754, open-r1 #450).',
          tryThis:
            "Resume from a checkpoint that holds optimizer, scheduler and data-loader state with the same config (learning_rate, lr schedule, num_generations, batch size); compare the two runs' configs and check lr right after the resume.",
          evidence: v,
          metrics: [String(v.metric)],
        }),
      ];
    },
  };
}

function jumpAt(
  step: number,
  before: MetricRow[],
  after: MetricRow[],
  t: DoctorThresholds,
): Mark | undefined {
  let worst: Mark | undefined;
  for (const name of WATCHED) {
    const pre = before.map((r) => metric(r, name)).filter((v): v is number => v !== undefined);
    const post = after.map((r) => metric(r, name)).filter((v): v is number => v !== undefined);
    if (pre.length < 3 || post.length < 3) continue;
    const level = median(pre.slice(-SIDE));
    const then = median(post);
    const jump = Math.abs(then - level);
    const usual = median(pre.slice(1).map((v, i) => Math.abs(v - pre[i])));
    const times = jump / Math.max(usual, 1e-12);
    if (jump <= 0 || times < t.resumeJumpFactor || jump < t.resumeJumpRelative * Math.abs(level)) continue;
    const score = Math.min(times, 1e6);
    if (!worst || score > worst.score)
      worst = {
        step,
        score,
        values: {
          metric: name,
          before: round(level),
          after: round(then),
          usual_change: round(usual),
          resume_step: step,
        },
      };
  }
  return worst;
}

function usualChange(v: Values): string {
  const usual = Number(v.usual_change);
  if (usual === 0) return 'it did not change in the steps before';
  return `${say(Math.abs(Number(v.after) - Number(v.before)) / usual)}× its usual step-to-step change`;
}
