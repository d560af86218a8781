// Bounded memory of a series, so that each new step costs the same whatever the
// run's length: the last `capacity` (step, value) pairs, newest last. A resume that
// replaces steps >= N drops the newest pairs back to N.

export interface Point {
  step: number;
  value: number;
}

export class RollingWindow {
  // a ring of the last `capacity` points; `sum` keeps the mean O(1) per step
  private readonly steps: Float64Array;
  private readonly vals: Float64Array;
  private readonly scratch: Float64Array;
  private start = 0;
  private count = 0;
  private sum = 0;

  constructor(readonly capacity: number) {
    const n = Math.max(1, Math.floor(capacity));
    this.steps = new Float64Array(n);
    this.vals = new Float64Array(n);
    this.scratch = new Float64Array(n);
  }

  push(step: number, value: number): void {
    const n = this.vals.length;
    if (this.count === n) {
      this.sum -= this.vals[this.start];
      this.start = (this.start + 1) % n;
      this.count--;
    }
    const at = (this.start + this.count) % n;
    this.steps[at] = step;
    this.vals[at] = value;
    this.sum += value;
    this.count++;
    // once per lap, sum afresh: float error of adding and subtracting does not pile up
    if (this.start === 0 && at === n - 1) this.sum = this.vals.reduce((a, v) => a + v, 0);
  }

  /** Forgets every point at or after `step` (a resume replaced them). */
  dropFrom(step: number): void {
    while (this.count > 0 && this.steps[this.at(this.count - 1)] >= step) {
      this.sum -= this.vals[this.at(this.count - 1)];
      this.count--;
    }
    if (this.count === 0) this.sum = 0;
  }

  clear(): void {
    this.count = 0;
    this.sum = 0;
  }

  /** The points, oldest first. */
  get recent(): Point[] {
    return Array.from({ length: this.count }, (_, i) => ({
      step: this.steps[this.at(i)],
      value: this.vals[this.at(i)],
    }));
  }

  get size(): number {
    return this.count;
  }

  get last(): Point | undefined {
    return this.count === 0
      ? undefined
      : { step: this.steps[this.at(this.count - 1)], value: this.vals[this.at(this.count - 1)] };
  }

  values(): number[] {
    return Array.from({ length: this.count }, (_, i) => this.vals[this.at(i)]);
  }

  mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  median(): number {
    if (this.count === 0) return NaN;
    const sorted = this.scratch.subarray(0, this.count);
    for (let i = 0; i < this.count; i++) sorted[i] = this.vals[this.at(i)];
    sorted.sort();
    const mid = this.count >> 1;
    return this.count % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private at(i: number): number {
    return (this.start + i) % this.vals.length;
  }
}

export function mean(values: number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Pearson correlation of two equally long series; NaN when either is constant. */
export function correlation(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/**
 * The first `size` values of a series (the run's start), kept once: what "since the
 * start" compares with. A resume before they were all seen drops the replaced ones.
 */
export class StartingValues {
  private readonly points: Point[] = [];
  private sum = 0;

  constructor(readonly size: number) {}

  offer(step: number, value: number): void {
    if (this.points.length >= this.size) return;
    this.points.push({ step, value });
    this.sum += value;
  }

  dropFrom(step: number): void {
    while (this.points.length > 0 && this.points[this.points.length - 1].step >= step)
      this.sum -= this.points.pop()?.value ?? 0;
  }

  get complete(): boolean {
    return this.points.length >= this.size;
  }

  get lastStep(): number | undefined {
    return this.points[this.points.length - 1]?.step;
  }

  mean(): number {
    return this.points.length === 0 ? NaN : this.sum / this.points.length;
  }
}

/** A number rounded for messages and evidence: 3 significant digits, JSON-safe. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return Number.isFinite(value) ? value : 0;
  return Number(value.toPrecision(digits));
}

/** A share as a percentage for messages: 0.734 -> "73%". */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** A number as a message says it: 3 significant digits, small ones as 7.52e-6. */
export function say(value: number | string | undefined): string {
  if (typeof value !== 'number') return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return String(round(value));
}
