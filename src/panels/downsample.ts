// Min/max per pixel, streaming: the x range is split into `width` buckets and each
// bucket keeps its lowest and highest point, in x order. A line drawn through these
// points covers the same pixels as one drawn through every point, and memory stays
// O(width) however many rows are streamed through. Pure.
import type { MetricSeries } from '../contract/messages';

export class MinMaxDownsampler {
  // Per bucket: the x and y of its lowest and highest point (NaN = empty bucket).
  private readonly minX: Float64Array;
  private readonly minY: Float64Array;
  private readonly maxX: Float64Array;
  private readonly maxY: Float64Array;
  private readonly scale: number;

  /** Points with x outside [from, to] are clamped into the first or last bucket. */
  constructor(
    private readonly from: number,
    to: number,
    private readonly width: number,
  ) {
    this.scale = width / Math.max(to - from, 1e-9);
    this.minX = new Float64Array(width).fill(NaN);
    this.minY = new Float64Array(width).fill(Infinity);
    this.maxX = new Float64Array(width).fill(NaN);
    this.maxY = new Float64Array(width).fill(-Infinity);
  }

  add(x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    const raw = Math.floor((x - this.from) * this.scale);
    const i = raw < 0 ? 0 : raw >= this.width ? this.width - 1 : raw;
    if (y < this.minY[i]) {
      this.minY[i] = y;
      this.minX[i] = x;
    }
    if (y > this.maxY[i]) {
      this.maxY[i] = y;
      this.maxX[i] = x;
    }
  }

  result(): MetricSeries {
    const x: number[] = [];
    const y: number[] = [];
    const push = (px: number, py: number) => {
      if (x.length > 0 && x[x.length - 1] === px) return;
      x.push(px);
      y.push(py);
    };
    for (let i = 0; i < this.width; i++) {
      if (Number.isNaN(this.minX[i])) continue;
      if (this.minX[i] <= this.maxX[i]) {
        push(this.minX[i], this.minY[i]);
        push(this.maxX[i], this.maxY[i]);
      } else {
        push(this.maxX[i], this.maxY[i]);
        push(this.minX[i], this.minY[i]);
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
