// The earliest paint of a run in a comparison: the last few hundred rows of its metrics
// file, read from the end without opening a session (opening one parses the run's last
// 5 000 rows, about 0.1 s of CPU per run: twenty runs would paint only after seconds).
// Replaced by the session's recent window and then by the whole history, as before.
// Only our own run directory is read this way: its main file is its metrics.jsonl, a
// file of metric rows; other sources paint when their session opens.
import type { SeriesWindow } from '../contract/messages';
import { seriesFromRows } from '../panels/seriesWindow';
import type { MetricRow, RunSummary } from '../runs/model';
import { currentRows, toMetricRow } from '../runs/metricsWindow';
import { readTailLines } from '../runs/tail';
import { FIRST_PAINT_WIDTH } from './firstPaint';

/** Rows read from each run's end: enough for a curve 400 buckets wide. */
export const TAIL_PAINT_ROWS = 400;

export async function readTailPaint(
  summary: RunSummary | undefined,
  rows = TAIL_PAINT_ROWS,
): Promise<SeriesWindow | undefined> {
  if (summary?.source !== 'grpo-lens' || !summary.mainFile) return undefined;
  const tail = await readTailLines(summary.mainFile, rows).catch(() => undefined);
  if (!tail) return undefined;
  const read = tail.records.map(toMetricRow).filter((r): r is MetricRow => r !== undefined);
  // A resume inside the tail: only the current copy of each step, as everywhere else.
  const current = currentRows(read);
  return current.length > 0 ? seriesFromRows(summary.id, current, FIRST_PAINT_WIDTH) : undefined;
}

/** Every run's tail paint, read together (each is one small read from a file's end). */
export async function readTailPaints(summaries: (RunSummary | undefined)[]): Promise<SeriesWindow[]> {
  const windows = await Promise.all(summaries.map((s) => readTailPaint(s)));
  return windows.filter((w): w is SeriesWindow => w !== undefined);
}
