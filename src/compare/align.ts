// Overlaid curves of several runs: each run's points placed on the chosen x axis (step,
// seconds since its first logged step, or tokens seen), then merged into the one
// x-sorted table uPlot draws, with a gap wherever a run has no point. Pure.
import type { CompareAxis } from '../contract/messages';

/** The metric that counts tokens seen so far (TRL logs it as `num_tokens`). */
export const TOKENS_METRIC = 'num_tokens';

export interface Points {
  x: number[];
  y: (number | null)[];
}

/** How one run's steps map onto the x axis, and back (for zoom). */
export interface AxisScale {
  toX(step: number): number | undefined;
  toStep(x: number): number | undefined;
}

const STEP_SCALE: AxisScale = { toX: (s) => s, toStep: (x) => x };

/** Points with a finite y, in step order: the monotone curve an axis interpolates along. */
function finite(p: Points | undefined): { x: number[]; y: number[] } {
  const out = { x: [] as number[], y: [] as number[] };
  p?.x.forEach((x, i) => {
    const y = p.y[i];
    if (y === null || !Number.isFinite(y)) return;
    out.x.push(x);
    out.y.push(y);
  });
  return out;
}

/**
 * The scale of one run on an axis; undefined when the run cannot be placed on it (no
 * logged times for `time`, no token count for `tokens`). `time` is step -> wall-clock
 * seconds, `tokens` step -> tokens seen.
 */
export function axisScale(axis: CompareAxis, time?: Points, tokens?: Points): AxisScale | undefined {
  if (axis === 'step') return STEP_SCALE;
  const curve = finite(axis === 'time' ? time : tokens);
  if (curve.x.length === 0) return undefined;
  const origin = axis === 'time' ? curve.y[0] : 0;
  const shifted = { x: curve.x, y: curve.y.map((v) => v - origin) };
  return {
    toX: (step) => interpolate(shifted.x, shifted.y, step),
    toStep: (x) => interpolate(shifted.y, shifted.x, x),
  };
}

/** A run's series placed on its axis: points whose step cannot be placed are left out. */
export function placeOnAxis(series: Points, scale: AxisScale): Points {
  const out: Points = { x: [], y: [] };
  series.x.forEach((step, i) => {
    const x = scale.toX(step);
    if (x === undefined) return;
    out.x.push(x);
    out.y.push(series.y[i]);
  });
  return out;
}

/** uPlot's aligned data for N runs: the sorted union of x, then one column per run (null = no point). */
export function overlay(parts: (Points | undefined)[]): (number | null)[][] {
  const xs = [...new Set(parts.flatMap((p) => p?.x ?? []))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = parts.map((p) => {
    const column: (number | null)[] = new Array(xs.length).fill(null);
    p?.x.forEach((x, i) => (column[index.get(x) as number] = p.y[i]));
    return column;
  });
  return [xs, ...columns];
}

/** The steps of a run that an x range on its axis covers, widened to whole steps. */
export function stepRangeOf(scale: AxisScale, range: [number, number]): [number, number] | undefined {
  const from = scale.toStep(range[0]);
  const to = scale.toStep(range[1]);
  if (from === undefined || to === undefined) return undefined;
  return [Math.floor(Math.min(from, to)), Math.ceil(Math.max(from, to))];
}

/**
 * Linear interpolation along increasing `from` (clamped at both ends). Tokens and times
 * only grow within a run's current history, so the inverse is the same call swapped.
 */
export function interpolate(from: number[], to: number[], value: number): number | undefined {
  if (from.length === 0) return undefined;
  let lo = 0;
  let hi = from.length - 1;
  if (value <= from[lo]) return to[lo];
  if (value >= from[hi]) return to[hi];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (from[mid] <= value) lo = mid;
    else hi = mid;
  }
  if (from[hi] === from[lo]) return to[lo];
  return to[lo] + ((to[hi] - to[lo]) * (value - from[lo])) / (from[hi] - from[lo]);
}
