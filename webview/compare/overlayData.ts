// The series of every run in a comparison: one RunSeries each (the dashboard's: overview,
// zoom detail, live points), and the overlaid chart data of one metric, each run placed
// on the chosen axis (src/compare/align.ts). Pure.
import type { CompareAxis, CompareRunInfo, LivePoint, SeriesWindow } from '../../src/contract/messages';
import { axisScale, overlay, placeOnAxis, TOKENS_METRIC, type AxisScale } from '../../src/compare/align';
import { RunSeries, type ChartData } from '../dashboard/data';
import { chartSpecs, type ChartSpec } from '../dashboard/layout';
import { ema } from '../dashboard/smooth';

export class CompareSeries {
  runs: CompareRunInfo[] = [];
  readonly series = new Map<string, RunSeries>();
  /** Runs whose whole history has arrived (before that, their recent window). */
  readonly complete = new Set<string>();

  setRuns(runs: CompareRunInfo[]): void {
    this.runs = runs;
    for (const r of runs) if (!this.series.has(r.runId)) this.series.set(r.runId, new RunSeries());
  }

  setOverview(w: SeriesWindow, complete: boolean): void {
    const s = this.series.get(w.runId);
    if (!s || (!complete && this.complete.has(w.runId))) return;
    s.setOverview(w);
    if (complete) this.complete.add(w.runId);
  }

  append(runId: string, points: LivePoint[], supersededFrom?: number): void {
    const s = this.series.get(runId);
    if (!s) return;
    if (supersededFrom !== undefined) s.supersede(supersededFrom);
    s.append(points);
  }

  /** Every metric any run logs, in the dashboard's chart order. */
  metricNames(): string[] {
    const names = [...this.series.values()].flatMap((s) => s.names);
    return chartSpecs(names).flatMap((spec) => spec.series.map((s) => s.name));
  }

  hasTokens(runId: string): boolean {
    return (this.series.get(runId)?.metric(TOKENS_METRIC)?.x.length ?? 0) > 0;
  }

  /** How each run's steps map onto the axis; undefined for a run that cannot be placed on it. */
  scale(runId: string, axis: CompareAxis): AxisScale | undefined {
    const s = this.series.get(runId);
    if (!s) return undefined;
    if (axis === 'time') return axisScale('time', s.timeline());
    return axisScale(axis, undefined, s.metric(TOKENS_METRIC));
  }

  /** One chart per metric, one series per run, in the run's colour. */
  spec(metric: string): ChartSpec {
    return {
      id: metric,
      title: metric,
      series: this.runs.map((r) => ({ name: r.runId, label: r.name, color: r.colour })),
    };
  }

  chartData(metric: string, axis: CompareAxis, smoothing: number): ChartData {
    const parts = this.runs.map((r) => {
      const points = this.series.get(r.runId)?.metric(metric);
      const scale = this.scale(r.runId, axis);
      if (!points || !scale) return undefined;
      return placeOnAxis({ x: points.x, y: ema(points.y, smoothing) }, scale);
    });
    return { data: overlay(parts), columns: this.runs.map((_, i) => ({ series: i + 1 })) };
  }

  pointCount(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.pointCount();
    return n;
  }
}
