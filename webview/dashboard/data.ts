// The series a dashboard holds: a downsampled overview from the host, an optional
// detail window for the zoomed range, and live points appended as the run trains.
// Builds the aligned arrays uPlot draws. Pure.
import type { LivePoint, MetricSeries, SeriesWindow, XAxis } from '../../src/contract/messages';
import type { ChartSpec } from './layout';
import { ema } from './smooth';
import { interpolate as interpolateBetween } from '../../src/compare/align';

type Series = { x: number[]; y: (number | null)[] };
/** Step -> wall-clock seconds, without gaps. */
type Timeline = { x: number[]; y: number[] };

/** Drops points with x >= step (a resume superseded them). */
function truncate(s: Series, step: number): void {
  let n = s.x.length;
  while (n > 0 && s.x[n - 1] >= step) n--;
  s.x.length = n;
  s.y.length = n;
}

function copy(s: MetricSeries): Series {
  return { x: [...s.x], y: [...s.y] };
}

/** Overview points outside [from, to] and detail points inside. */
function splice(overview: Series, detail: Series | undefined, from: number, to: number): Series {
  if (!detail) return overview;
  const out: Series = { x: [], y: [] };
  const push = (s: Series, keep: (x: number) => boolean) =>
    s.x.forEach((x, i) => keep(x) && (out.x.push(x), out.y.push(s.y[i])));
  push(overview, (x) => x < from);
  push(detail, () => true);
  push(overview, (x) => x > to);
  return out;
}

export interface ChartData {
  /** uPlot's aligned data: x first, then one array per series (bands add two each). */
  data: (number | null)[][];
  /** Index in `data` of each spec series, and of its band's upper and lower edges. */
  columns: { series: number; bandHigh?: number; bandLow?: number }[];
}

export class RunSeries {
  private metrics = new Map<string, Series>();
  private time: Series = { x: [], y: [] };
  private detail?: SeriesWindow;
  lastStep = -Infinity;

  setOverview(w: SeriesWindow): void {
    this.metrics = new Map(Object.entries(w.metrics).map(([k, v]) => [k, copy(v)]));
    this.time = copy(w.time);
    this.detail = undefined;
    this.lastStep = Math.max(
      w.toStep,
      ...[...this.metrics.values()].map((s) => s.x[s.x.length - 1] ?? -Infinity),
    );
  }

  setDetail(w: SeriesWindow | undefined): void {
    this.detail = w;
  }

  get names(): string[] {
    return [...this.metrics.keys()];
  }

  get hasTime(): boolean {
    return this.time.x.length > 0;
  }

  longestSeries(): number {
    let n = 0;
    for (const s of this.metrics.values()) n = Math.max(n, s.x.length);
    return n;
  }

  pointCount(): number {
    let n = 0;
    for (const s of this.metrics.values()) n += s.x.length;
    return n;
  }

  supersede(step: number): void {
    for (const s of this.metrics.values()) truncate(s, step);
    truncate(this.time, step);
    this.detail = undefined;
    this.lastStep = Math.min(this.lastStep, step - 1);
  }

  /** Appends live points; returns whether a metric never seen before appeared. */
  append(points: LivePoint[]): boolean {
    let newMetric = false;
    for (const p of points) {
      if (p.step <= this.lastStep) this.supersede(p.step);
      this.lastStep = p.step;
      if (p.time !== undefined) {
        this.time.x.push(p.step);
        this.time.y.push(p.time);
      }
      for (const [name, value] of Object.entries(p.values)) {
        let s = this.metrics.get(name);
        if (!s) {
          s = { x: [], y: [] };
          this.metrics.set(name, s);
          newMetric = true;
        }
        s.x.push(p.step);
        s.y.push(value);
      }
    }
    return newMetric;
  }

  private series(name: string): Series | undefined {
    const overview = this.metrics.get(name);
    if (!overview) return undefined;
    const d = this.detail;
    return d ? splice(overview, d.metrics[name], d.fromStep, d.toStep) : overview;
  }

  /** A metric's points, the detail window spliced in (compare draws each run's this way). */
  metric(name: string): Series | undefined {
    return this.series(name);
  }

  /** Step -> wall-clock seconds: the overview and live times, the detail window's inside its range. */
  timeline(): Timeline {
    const d = this.detail;
    const s = d ? splice(this.time, d.time, d.fromStep, d.toStep) : this.time;
    const out: Timeline = { x: [], y: [] };
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (y === null || !Number.isFinite(y)) return;
      out.x.push(x);
      out.y.push(y);
    });
    return out;
  }

  /** Wall-clock seconds at a step, interpolated between logged times. */
  timeAt(step: number): number | undefined {
    return interpolate(this.timeline(), step, 'x');
  }

  /**
   * The step at a wall-clock time, interpolated between logged times (the inverse of
   * `timeAt`: steps and times both grow within a run's current history). Clamped to the
   * first and last logged step.
   */
  stepAt(time: number): number | undefined {
    return interpolate(this.timeline(), time, 'y');
  }

  /** Aligned data for one chart: union of steps, nulls where a series has no point. */
  chartData(spec: ChartSpec, xAxis: XAxis, smoothing: number): ChartData {
    const parts = spec.series.map((s) => this.series(s.name) ?? { x: [], y: [] });
    const bands = spec.series.map((s) => (s.bandStd ? this.series(s.bandStd) : undefined));
    const steps = [...new Set(parts.flatMap((p) => p.x))].sort((a, b) => a - b);
    const index = new Map(steps.map((s, i) => [s, i]));
    const align = (p: Series) => {
      const out: (number | null)[] = new Array(steps.length).fill(null);
      p.x.forEach((x, i) => (out[index.get(x) as number] = p.y[i]));
      return out;
    };
    const timeline = xAxis === 'time' && this.hasTime ? this.timeline() : undefined;
    const xs = timeline ? steps.map((s) => interpolate(timeline, s, 'x') ?? null) : steps;
    const data: (number | null)[][] = [xs];
    const columns: ChartData['columns'] = [];
    parts.forEach((p, i) => {
      const y = ema(align(p), smoothing);
      const column: ChartData['columns'][number] = { series: data.length };
      data.push(y);
      const band = bands[i];
      if (band) {
        const std = fillForward(steps, band);
        column.bandHigh = data.length;
        data.push(y.map((v, j) => (v === null || std[j] === null ? null : v + (std[j] as number))));
        column.bandLow = data.length;
        data.push(y.map((v, j) => (v === null || std[j] === null ? null : v - (std[j] as number))));
      }
      columns.push(column);
    });
    return { data, columns };
  }
}

/**
 * Linear interpolation along a series whose x and y both increase: given an x, its y
 * (`by` = 'x'), or given a y, its x (`by` = 'y'). Clamped at both ends.
 */
function interpolate(s: Timeline, value: number, by: 'x' | 'y'): number | undefined {
  return by === 'x' ? interpolateBetween(s.x, s.y, value) : interpolateBetween(s.y, s.x, value);
}

/** The last known value of a series at each step (std is downsampled apart from its mean). */
function fillForward(steps: number[], s: Series): (number | null)[] {
  let j = 0;
  let last: number | null = null;
  return steps.map((step) => {
    while (j < s.x.length && s.x[j] <= step) last = s.y[j++];
    return last;
  });
}
