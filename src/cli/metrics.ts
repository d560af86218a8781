// `grpo-lens metrics RUN`: the run's effective series, one value per step after
// resumes (the session's readAllMetrics drops superseded rows), as columns.
import type { MetricRow } from '../runs/model';
import type { RunSession } from '../runs/sources/source';
import { shown } from './text';

export interface MetricSeries {
  steps: number[];
  /** One value per step; null where that step did not log the metric. */
  series: Record<string, (number | null)[]>;
}

export async function readSeries(session: RunSession, keys?: string[]): Promise<MetricSeries> {
  const rows: MetricRow[] = [];
  await session.readAllMetrics((row) => rows.push(row));
  return seriesOf(rows, keys ?? metricNames(rows));
}

/** Every metric name the rows carry, in the order first seen. */
function metricNames(rows: MetricRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) if (name !== 'step') names.add(name);
  return [...names];
}

export function seriesOf(rows: MetricRow[], names: string[]): MetricSeries {
  const series: Record<string, (number | null)[]> = {};
  for (const name of names) series[name] = rows.map((row) => valueOf(row[name]));
  return { steps: rows.map((row) => row.step), series };
}

function valueOf(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Names asked for with --keys that no step logged (probably mistyped). */
export function missingKeys(data: MetricSeries): string[] {
  return Object.entries(data.series)
    .filter(([, values]) => values.every((v) => v === null))
    .map(([name]) => name);
}

/** Tab-separated, a header first; an empty cell where a step lacks the metric. */
export function seriesAsTsv(data: MetricSeries): string {
  const names = Object.keys(data.series);
  const cell = (text: string) => shown(text).replace(/[\t\n]/g, ' ');
  const lines = [['step', ...names.map(cell)].join('\t')];
  data.steps.forEach((step, i) => {
    lines.push([String(step), ...names.map((name) => String(data.series[name][i] ?? ''))].join('\t'));
  });
  return lines.join('\n');
}
