// Bounded memory of a series, so that each new step costs the same whatever the
// run's length: the last `capacity` (step, value) pairs, newest last. A resume that
// replaces steps >= N drops the newest pairs back to N.

export interface Point {
  step: number;
  value: number;
}

export class RollingWindow {
  private points: Point[] = [];

  constructor(readonly capacity: number) {}

  push(step: number, value: number): void {
    this.points.push({ step, value });
    // splice once the array is twice the capacity: amortised O(1) per push
    if (this.points.length >= 2 * this.capacity) this.points.splice(0, this.points.length - this.capacity);
  }

  /** Forgets every point at or after `step` (a resume replaced them). */
  dropFrom(step: number): void {
    while (this.points.length > 0 && this.points[this.points.length - 1].step >= step) this.points.pop();
  }

  clear(): void {
    this.points = [];
  }

  /** The last `capacity` points, oldest first. */
  get recent(): Point[] {
    return this.points.length > this.capacity ? this.points.slice(-this.capacity) : this.points;
  }

  get size(): number {
    return Math.min(this.points.length, this.capacity);
  }

  get last(): Point | undefined {
    return this.points[this.points.length - 1];
  }

  values(): number[] {
    return this.recent.map((p) => p.value);
  }

  mean(): number {
    return mean(this.values());
  }

  median(): number {
    return median(this.values());
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

  constructor(readonly size: number) {}

  offer(step: number, value: number): void {
    if (this.points.length < this.size) this.points.push({ step, value });
  }

  dropFrom(step: number): void {
    while (this.points.length > 0 && this.points[this.points.length - 1].step >= step) this.points.pop();
  }

  get complete(): boolean {
    return this.points.length >= this.size;
  }

  get lastStep(): number | undefined {
    return this.points[this.points.length - 1]?.step;
  }

  mean(): number {
    return mean(this.points.map((p) => p.value));
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
