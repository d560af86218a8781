// The first paint of a run in a comparison: its session's recent rows (already in memory,
// no disk read), thinned to about two rows per bucket and downsampled to a narrow width,
// so that twenty runs cost what one dashboard does. Replaced by the whole history,
// downsampled at full width, as soon as that is read. Pure.
import type { SeriesWindow } from '../contract/messages';
import { seriesFromRows } from '../panels/seriesWindow';
import type { MetricRow } from '../runs/model';

export const FIRST_PAINT_WIDTH = 400;

/** Every k-th row (and the last), so that at most about 2 x width rows are downsampled. */
export function thinRows(rows: MetricRow[], width = FIRST_PAINT_WIDTH): MetricRow[] {
  const stride = Math.ceil(rows.length / (2 * width));
  if (stride <= 1) return rows;
  return rows.filter((_, i) => i % stride === 0 || i === rows.length - 1);
}

export function firstPaintWindow(runId: string, recent: MetricRow[]): SeriesWindow {
  return seriesFromRows(runId, thinRows(recent), FIRST_PAINT_WIDTH);
}
