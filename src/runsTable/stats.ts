// Summary statistics of a run's metrics (last, best, mean of the last N steps), built
// from its rows in one pass and then kept up to date row by row, under the supersession
// rule of docs/run-format.md: a row whose step is <= a step seen before replaces every
// row from that step on. Bounded memory per metric: the best value's "staircase" (each
// step where a new best was reached, so the best before any step is known exactly) and
// the last TAIL rows. A resume that goes back further than those remember marks the
// stats incomplete: the owner reads the run again. Pure.
import type { MetricRow } from '../runs/model';

/** Rows remembered per metric for "mean of the last N": N is at most this. */
export const TAIL = 64;

export type BestDirection = 'max' | 'min';

/** Lower is better for divergences, losses and the signs of wasted work; higher for the rest. */
export function bestDirection(metric: string): BestDirection {
  return /(^|\/)(kl|loss|grad_norm|clipped_ratio|frac_reward_zero_std)($|\/|_)/.test(metric) ? 'min' : 'max';
}

interface Series {
  count: number;
  /** Steps and values of the last TAIL rows, ascending. */
  tailSteps: number[];
  tailValues: number[];
  /** Steps where the best so far improved, and the values: the last is the best. */
  bestSteps: number[];
  bestValues: number[];
}

export interface MetricStats {
  last?: number;
  best?: number;
  /** Mean of the last min(N, count) values. */
  mean?: number;
  count: number;
}

export class RunStats {
  private readonly series = new Map<string, Series>();
  private lastStep = -Infinity;
  /** A resume went back past what is remembered: read the run again. */
  incomplete = false;
  rows = 0;

  constructor(private readonly tracked: (metric: string) => boolean) {}

  add(row: MetricRow): void {
    if (!Number.isFinite(row.step)) return;
    if (row.step <= this.lastStep) this.supersede(row.step);
    this.lastStep = row.step;
    this.rows++;
    for (const [name, value] of Object.entries(row)) {
      if (name === 'step' || name === 'time' || typeof value !== 'number' || !Number.isFinite(value))
        continue;
      if (!this.tracked(name)) continue;
      this.push(name, row.step, value);
    }
  }

  /** Forgets every row with step >= `from` (a resume). */
  supersede(from: number): void {
    for (const s of this.series.values()) {
      const keep = lowerBound(s.tailSteps, from);
      const dropped = s.tailSteps.length - keep;
      // Dropped rows older than the remembered tail cannot be counted out: read again.
      if (keep === 0 && s.count > dropped) this.incomplete = true;
      s.count -= dropped;
      s.tailSteps.length = keep;
      s.tailValues.length = keep;
      const best = lowerBound(s.bestSteps, from);
      s.bestSteps.length = best;
      s.bestValues.length = best;
      if (s.tailSteps.length < Math.min(TAIL, s.count)) this.incomplete = true;
    }
    this.lastStep = Math.min(this.lastStep, from - 1);
  }

  metrics(): string[] {
    return [...this.series.keys()].filter((name) => (this.series.get(name)?.count ?? 0) > 0);
  }

  stats(metric: string, lastN: number): MetricStats {
    const s = this.series.get(metric);
    if (!s || s.count === 0) return { count: 0 };
    const n = Math.max(1, Math.min(lastN, TAIL, s.tailValues.length));
    const recent = s.tailValues.slice(-n);
    return {
      last: s.tailValues[s.tailValues.length - 1],
      best: s.bestValues[s.bestValues.length - 1],
      mean: recent.reduce((a, b) => a + b, 0) / recent.length,
      count: s.count,
    };
  }

  private push(name: string, step: number, value: number): void {
    let s = this.series.get(name);
    if (!s) {
      s = { count: 0, tailSteps: [], tailValues: [], bestSteps: [], bestValues: [] };
      this.series.set(name, s);
    }
    s.count++;
    s.tailSteps.push(step);
    s.tailValues.push(value);
    if (s.tailSteps.length > TAIL) {
      s.tailSteps.shift();
      s.tailValues.shift();
    }
    const best = s.bestValues[s.bestValues.length - 1];
    const better = bestDirection(name) === 'max' ? value > best : value < best;
    if (best === undefined || better) {
      s.bestSteps.push(step);
      s.bestValues.push(value);
    }
  }
}

/** First index whose value is >= x in an ascending list. */
function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
