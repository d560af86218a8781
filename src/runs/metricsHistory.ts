// Streaming the whole metric history of a run from disk, one current row per step,
// in two passes: the first finds where a resume went back (cheap: only each line's
// step), the second emits every row that no later resume supersedes.
import * as fs from 'fs';
import { parseRecord } from './lines';
import type { MetricRow } from './model';
import { toMetricRow } from './metricsWindow';
import { linesFrom, stepOfLine } from './sampleSeek';

interface ResumePoint {
  offset: number;
  step: number;
}

export async function streamCurrentMetrics(path: string, onRow: (row: MetricRow) => void): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch {
    return;
  }
  try {
    const { size } = await handle.stat();
    const laterMinimum = supersessionLookup(await findResumePoints(handle, size));
    for await (const line of linesFrom(handle, 0, size)) {
      const record = parseRecord(line.text);
      const row = record && toMetricRow(record);
      if (row && !(row.step >= laterMinimum(line.start))) onRow(row);
    }
  } finally {
    await handle.close();
  }
}

async function findResumePoints(handle: fs.promises.FileHandle, size: number): Promise<ResumePoint[]> {
  const points: ResumePoint[] = [];
  let previous = -Infinity;
  for await (const line of linesFrom(handle, 0, size)) {
    const step = stepOfLine(line.text);
    if (step === undefined) continue;
    if (step <= previous) {
      // Only a line that is a whole, readable row can be a resume point: `{"step": 2, "loss": NaN}`
      // has a step in its first bytes but is a bad line, and must not erase history.
      const record = parseRecord(line.text);
      if (!record || !toMetricRow(record)) continue;
      points.push({ offset: line.start, step });
    }
    previous = step;
  }
  return points;
}

/** For an offset, the lowest step any later resume went back to (Infinity if none). */
function supersessionLookup(points: ResumePoint[]): (offset: number) => number {
  const suffixMin = new Array<number>(points.length + 1).fill(Infinity);
  for (let i = points.length - 1; i >= 0; i--) suffixMin[i] = Math.min(points[i].step, suffixMin[i + 1]);
  return (offset) => {
    let low = 0;
    let high = points.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (points[mid].offset > offset) high = mid;
      else low = mid + 1;
    }
    return suffixMin[low];
  };
}
