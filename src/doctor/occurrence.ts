// Where a condition held, in bounded memory: the step ranges (merged when there are
// too many), the worst steps to mark on the charts, and the groups to look at.
import type { GroupRef } from './finding';

export type Values = Record<string, number | string>;

/** A step where the condition held, with how bad it was and the numbers that say so. */
export interface Mark {
  step: number;
  /** Larger is worse; the worst marks are kept. */
  score: number;
  values: Values;
  groups?: GroupRef[];
}

interface Interval {
  from: number;
  to: number;
  /** Steps inside [from, to] where it held (fewer than to - from + 1 once merged). */
  count: number;
}

const MAX_INTERVALS = 64;
export const MAX_MARKS = 24;
const MAX_GROUPS = 24;

export class Occurrence {
  private intervals: Interval[] = [];
  private marks: Mark[] = [];
  private latestMark: Mark | undefined;

  /** The condition held at `step`. */
  hold(mark: Mark): void {
    this.addStep(mark.step);
    this.latestMark = mark;
    const same = this.marks.findIndex((m) => m.step === mark.step);
    if (same >= 0) this.marks.splice(same, 1);
    this.marks.push(mark);
    if (this.marks.length > MAX_MARKS) {
      let weakest = 0;
      this.marks.forEach((m, i) => (weakest = m.score < this.marks[weakest].score ? i : weakest));
      this.marks.splice(weakest, 1);
    }
  }

  /** It held at every step from `from` to the mark's step (a streak found once it was long enough). */
  holdSince(from: number, mark: Mark): void {
    if (from >= mark.step || this.intervals.some((r) => r.from <= mark.step && r.to >= from - 1))
      return this.hold(mark);
    this.intervals.push({ from, to: mark.step - 1, count: mark.step - from });
    this.intervals.sort((a, b) => a.from - b.from);
    this.hold(mark);
  }

  /** A resume replaced every step >= `step`: forget where it held there. */
  dropFrom(step: number): void {
    this.intervals = this.intervals
      .filter((i) => i.from < step)
      .map((i) =>
        i.to < step ? i : { from: i.from, to: step - 1, count: Math.min(i.count, step - i.from) },
      );
    this.marks = this.marks.filter((m) => m.step < step);
    if (this.latestMark && this.latestMark.step >= step) this.latestMark = this.newestMark();
  }

  clear(): void {
    this.intervals = [];
    this.marks = [];
    this.latestMark = undefined;
  }

  get held(): boolean {
    return this.intervals.length > 0;
  }

  get first(): number {
    return this.intervals[0]?.from ?? 0;
  }

  get last(): number {
    return this.intervals[this.intervals.length - 1]?.to ?? 0;
  }

  /** Steps where it held (exact unless the ranges had to be merged). */
  get count(): number {
    return this.intervals.reduce((n, i) => n + i.count, 0);
  }

  markSteps(): number[] {
    return this.marks.map((m) => m.step).sort((a, b) => a - b);
  }

  worst(): Mark | undefined {
    return this.marks.reduce<Mark | undefined>(
      (w, m) => (w === undefined || m.score > w.score ? m : w),
      undefined,
    );
  }

  latest(): Mark | undefined {
    return this.latestMark;
  }

  /** Groups named by the worst marks, worst first. */
  groups(): GroupRef[] {
    const refs: GroupRef[] = [];
    for (const mark of [...this.marks].sort((a, b) => b.score - a.score)) {
      for (const ref of mark.groups ?? []) if (refs.length < MAX_GROUPS) refs.push(ref);
    }
    return refs;
  }

  private newestMark(): Mark | undefined {
    return this.marks.reduce<Mark | undefined>(
      (n, m) => (n === undefined || m.step > n.step ? m : n),
      undefined,
    );
  }

  private addStep(step: number): void {
    const i = this.intervals.findIndex((r) => step <= r.to + 1);
    const at = i === -1 ? this.intervals.length : i;
    const range = this.intervals[at];
    if (range && step >= range.from && step <= range.to) return;
    if (range && step === range.to + 1) {
      range.to = step;
      range.count++;
    } else if (range && step === range.from - 1) {
      range.from = step;
      range.count++;
    } else this.intervals.splice(at, 0, { from: step, to: step, count: 1 });
    this.mergeTouching();
    if (this.intervals.length > MAX_INTERVALS) this.mergeClosest();
  }

  private mergeTouching(): void {
    for (let i = this.intervals.length - 1; i > 0; i--) {
      const [a, b] = [this.intervals[i - 1], this.intervals[i]];
      if (b.from <= a.to + 1) this.intervals.splice(i - 1, 2, merged(a, b));
    }
  }

  /** Too many ranges: join the two nearest, so that memory stays bounded. */
  private mergeClosest(): void {
    let best = 1;
    for (let i = 2; i < this.intervals.length; i++) {
      const gap = this.intervals[i].from - this.intervals[i - 1].to;
      if (gap < this.intervals[best].from - this.intervals[best - 1].to) best = i;
    }
    this.intervals.splice(best - 1, 2, merged(this.intervals[best - 1], this.intervals[best]));
  }
}

function merged(a: Interval, b: Interval): Interval {
  return { from: a.from, to: Math.max(a.to, b.to), count: a.count + b.count };
}
