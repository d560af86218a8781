// Builds the downsampled series a dashboard shows from metric rows streamed in step
// order. One min/max downsampler per metric, so memory is O(metrics x width). Pure.
import type { SeriesWindow } from '../contract/messages';
import type { MetricRow, RunStore } from '../runs/model';
import { MinMaxDownsampler, roundForChart } from './downsample';

export class SeriesWindowBuilder {
  private readonly samplers = new Map<string, MinMaxDownsampler>();
  private readonly time: MinMaxDownsampler;
  private rowCount = 0;

  constructor(
    private readonly runId: string,
    private readonly fromStep: number,
    private readonly toStep: number,
    private readonly width: number,
  ) {
    this.time = new MinMaxDownsampler(fromStep, toStep, width);
  }

  add(row: MetricRow): void {
    if (row.step < this.fromStep || row.step > this.toStep) return;
    this.rowCount++;
    for (const [name, value] of Object.entries(row)) {
      if (name === 'step' || typeof value !== 'number') continue;
      if (name === 'time') {
        this.time.add(row.step, value);
        continue;
      }
      let sampler = this.samplers.get(name);
      if (!sampler) {
        sampler = new MinMaxDownsampler(this.fromStep, this.toStep, this.width);
        this.samplers.set(name, sampler);
      }
      sampler.add(row.step, value);
    }
  }

  result(): SeriesWindow {
    const metrics: SeriesWindow['metrics'] = {};
    for (const [name, sampler] of this.samplers) {
      const series = sampler.result();
      metrics[name] = { x: series.x, y: series.y.map((v) => (v === null ? null : roundForChart(v))) };
    }
    return {
      runId: this.runId,
      fromStep: this.fromStep,
      toStep: this.toStep,
      rowCount: this.rowCount,
      time: this.time.result(),
      metrics,
    };
  }
}

/** Width in buckets is bounded so a hostile request cannot ask for a whole run. */
export function clampWidth(width: number): number {
  if (!Number.isFinite(width)) return 600;
  return Math.max(16, Math.min(2000, Math.round(width)));
}

/** The series of rows already in memory (a session's recent window): a first paint that needs no disk read. */
export function seriesFromRows(runId: string, rows: MetricRow[], width: number): SeriesWindow {
  const first = rows.length > 0 ? rows[0].step : 0;
  const last = rows.length > 0 ? rows[rows.length - 1].step : 1;
  const builder = new SeriesWindowBuilder(runId, first, Math.max(last, first + 1), clampWidth(width));
  for (const row of rows) builder.add(row);
  return builder.result();
}

/** Streams a run's metrics from disk through a builder: memory stays O(metrics x width). */
export async function readSeriesWindow(
  store: RunStore,
  runId: string,
  width: number,
  fromStep?: number,
  toStep?: number,
): Promise<SeriesWindow> {
  const summary = store.get(runId);
  const recent = store.recentMetrics(runId);
  const last = Math.max(summary?.step ?? 0, recent.length ? recent[recent.length - 1].step : 0);
  const builder = new SeriesWindowBuilder(
    runId,
    fromStep ?? 0,
    toStep ?? Math.max(last, 1),
    clampWidth(width),
  );
  await store.readAllMetrics(runId, (row) => builder.add(row));
  return builder.result();
}
