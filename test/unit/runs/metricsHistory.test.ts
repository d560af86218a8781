// Whole-history reading (streamCurrentMetrics) read in large chunks gives exactly what the
// earlier reader gave: two passes over an async generator of lines (kept below as the
// reference), on a run with resumes, bad lines, a torn last line, CRLF and lines that
// cross the reader's 4 MB chunks.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseRecord } from '../../../src/runs/lines';
import { streamCurrentMetrics } from '../../../src/runs/metricsHistory';
import { toMetricRow } from '../../../src/runs/metricsWindow';
import type { MetricRow } from '../../../src/runs/model';
import { linesFrom, stepOfLine } from '../../../src/runs/sampleSeek';
import { makeTempDir, removeDir } from './tempDir';

/** The reader as it was before the chunked one: the reference for "the same result". */
async function referenceRows(file: string): Promise<MetricRow[]> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const points: { offset: number; step: number }[] = [];
    let previous = -Infinity;
    for await (const line of linesFrom(handle, 0, size)) {
      const step = stepOfLine(line.text);
      if (step === undefined) continue;
      if (step <= previous) {
        const record = parseRecord(line.text);
        if (!record || !toMetricRow(record)) continue;
        points.push({ offset: line.start, step });
      }
      previous = step;
    }
    const laterMinimum = (offset: number) =>
      Math.min(Infinity, ...points.filter((p) => p.offset > offset).map((p) => p.step));
    const rows: MetricRow[] = [];
    for await (const line of linesFrom(handle, 0, size)) {
      const record = parseRecord(line.text);
      const row = record && toMetricRow(record);
      if (row && !(row.step >= laterMinimum(line.start))) rows.push(row);
    }
    return rows;
  } finally {
    await handle.close();
  }
}

async function chunkedRows(file: string): Promise<MetricRow[]> {
  const rows: MetricRow[] = [];
  await streamCurrentMetrics(file, (row) => rows.push(row));
  return rows;
}

const row = (step: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ step, time: 1_790_000_000 + step, loss: Math.sin(step), reward: step / 7, ...extra });

/** Lines as our trainer (Python's json.dumps) and a crash or a hand edit can leave them. */
function historyWithEverything(longSteps: number): string {
  const lines: string[] = [];
  for (let s = 1; s <= 30; s++) lines.push(row(s));
  lines.push('{"step": 12, "loss": NaN}'); // Python writes NaN: a bad line, erases nothing
  lines.push('{"warmup_step": 3, "loss": 0.5}'); // warm-up, not a step
  lines.push('not json at all');
  lines.push('');
  lines.push(JSON.stringify({ step: 2.5, loss: 1 }));
  lines.push(JSON.stringify({ loss: 9, note: 'é'.repeat(300), step: 31 })); // step not first, long, non-ASCII
  lines.push(row(32) + '\r'); // a line written on Windows
  lines.push(row(20, { resumed: 1 })); // resume from a checkpoint at 20: 20..32 above superseded
  for (let s = 21; s <= 40; s++) lines.push(row(s, { resumed: 1 }));
  lines.push(row(10, { resumed: 2 })); // a second resume, further back
  for (let s = 11; s <= 10 + longSteps; s++) lines.push(row(s, { resumed: 2, pad: 'x'.repeat(200) }));
  lines.push(JSON.stringify({ step: 11 + longSteps, reward: Infinity }).replace('null', '1e999')); // an infinite value: kept, without it
  return lines.join('\n') + '\n' + '{"step": 99999, "loss": 0.'; // torn last line
}

describe('whole-history reading in chunks', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('equals the earlier reader on a run with resumes, bad lines and a torn last line', async () => {
    const file = path.join(dir, 'metrics.jsonl');
    fs.writeFileSync(file, historyWithEverything(200));
    const rows = await chunkedRows(file);
    assert.deepStrictEqual(rows, await referenceRows(file));
    // And what that means: 1..9 of the first stretch, then the second resume's 10..211.
    assert.deepStrictEqual(
      rows.map((r) => r.step),
      [...Array.from({ length: 9 }, (_, i) => i + 1), ...Array.from({ length: 202 }, (_, i) => i + 10)],
    );
    assert.deepStrictEqual(rows[rows.length - 1], { step: 211 });
    assert.ok(!rows.some((r) => r.step === 99999), 'the torn last line is not a row');
  });

  it('equals the earlier reader when lines cross the 4 MB chunks (a 10 MB history)', async () => {
    const file = path.join(dir, 'metrics.jsonl');
    fs.writeFileSync(file, historyWithEverything(40_000));
    assert.ok(fs.statSync(file).size > 9 * 1024 * 1024);
    const rows = await chunkedRows(file);
    assert.strictEqual(rows.length, 9 + 40_002);
    assert.deepStrictEqual(rows, await referenceRows(file));
  });

  it('reads nothing from a missing or empty file', async () => {
    assert.deepStrictEqual(await chunkedRows(path.join(dir, 'none.jsonl')), []);
    fs.writeFileSync(path.join(dir, 'empty.jsonl'), '');
    assert.deepStrictEqual(await chunkedRows(path.join(dir, 'empty.jsonl')), []);
  });
});
