// Min/max per pixel, streaming: the x range is split into `width` buckets and each
// bucket keeps its lowest and highest point, in x order. A line drawn through these
// points covers the same pixels as one drawn through every point, and memory stays
// O(width) however many rows are streamed through. Pure.
import type { MetricSeries } from '../contract/messages';

interface Bucket {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export class MinMaxDownsampler {
  private readonly buckets = new Map<number, Bucket>();
  private readonly span: number;

  /** Points with x outside [from, to] are clamped into the first or last bucket. */
  constructor(
    private readonly from: number,
    to: number,
    private readonly width: number,
  ) {
    this.span = Math.max(to - from, 1e-9);
  }

  add(x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    const raw = Math.floor(((x - this.from) / this.span) * this.width);
    const index = Math.min(this.width - 1, Math.max(0, raw));
    const bucket = this.buckets.get(index);
    if (!bucket) {
      this.buckets.set(index, { minX: x, minY: y, maxX: x, maxY: y });
      return;
    }
    if (y < bucket.minY) [bucket.minX, bucket.minY] = [x, y];
    if (y > bucket.maxY) [bucket.maxX, bucket.maxY] = [x, y];
  }

  result(): MetricSeries {
    const x: number[] = [];
    const y: number[] = [];
    const indices = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const i of indices) {
      const b = this.buckets.get(i) as Bucket;
      const pair: [number, number][] = [
        [b.minX, b.minY],
        [b.maxX, b.maxY],
      ];
      pair.sort((p, q) => p[0] - q[0]);
      for (const [px, py] of pair) {
        if (x.length > 0 && x[x.length - 1] === px) continue;
        x.push(px);
        y.push(py);
      }
    }
    return { x, y };
  }
}

/** Downsamples arrays in one go (used by benchmarks and tests). */
export function downsampleMinMax(xs: ArrayLike<number>, ys: ArrayLike<number>, width: number): MetricSeries {
  if (xs.length === 0) return { x: [], y: [] };
  const sampler = new MinMaxDownsampler(xs[0], xs[xs.length - 1], width);
  for (let i = 0; i < xs.length; i++) sampler.add(xs[i], ys[i]);
  return sampler.result();
}

/** Keeps about 6 significant digits: enough for a chart, and a third of the bytes of a double. */
export function roundForChart(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(6));
}
