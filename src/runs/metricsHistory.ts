// Streaming the whole metric history of a run from disk, one current row per step.
// The file is read in large chunks (chunkedLines.ts) in two scans: the first finds where a
// resume went back from each line's first bytes only (no JSON parse but for a candidate
// resume line), the second parses each line once and emits every row that no later resume
// supersedes. Two scans keep memory flat whatever the run's length; the second is served
// from the page cache.
import * as fs from 'fs';
import { forEachLineIn } from './chunkedLines';
import { parseRecord } from './lines';
import type { MetricRow } from './model';
import { toMetricRow } from './metricsWindow';
import { stepOfLineBytes } from './sampleSeek';

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
    await forEachLineIn(handle, 0, size, (data, start, end, offset) => {
      const record = parseRecord(data.toString('utf8', start, end));
      const row = record && toMetricRow(record);
      if (row && !(row.step >= laterMinimum(offset))) onRow(row);
    });
  } finally {
    await handle.close();
  }
}

async function findResumePoints(handle: fs.promises.FileHandle, size: number): Promise<ResumePoint[]> {
  const points: ResumePoint[] = [];
  let previous = -Infinity;
  await forEachLineIn(handle, 0, size, (data, start, end, offset) => {
    const step = stepOfLineBytes(data, start, end);
    if (step === undefined) return;
    if (step <= previous) {
      // Only a line that is a whole, readable row can be a resume point: `{"step": 2, "loss": NaN}`
      // has a step in its first bytes but is a bad line, and must not erase history.
      const record = parseRecord(data.toString('utf8', start, end));
      if (!record || !toMetricRow(record)) return;
      points.push({ offset, step });
    }
    previous = step;
  });
  return points;
}

/** For an offset, the lowest step any later resume went back to (Infinity if none). */
function supersessionLookup(points: ResumePoint[]): (offset: number) => number {
  const suffixMin = new Array<number>(points.length + 1).fill(Infinity);
  for (let i = points.length - 1; i >= 0; i--) suffixMin[i] = Math.min(points[i].step, suffixMin[i + 1]);
  if (points.length === 0) return () => Infinity;
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
