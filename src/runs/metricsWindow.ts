// The recent metric rows of a run, one per step. Pure. A row whose step is at or
// below a step already seen means the run was resumed from a checkpoint: it
// supersedes every row from its step on, so exactly one value per step remains.
import type { MetricRow } from './model';

export const DEFAULT_WINDOW = 5000;

/** Turns a parsed metrics.jsonl record into a row, or undefined if it has no whole-number step. */
export function toMetricRow(record: Record<string, unknown>): MetricRow | undefined {
  return readMetricRecord(record).row;
}

export interface MetricRecord {
  row?: MetricRow;
  /** The line is unreadable in part or whole: no whole-number step, or a value that is not finite (1e999). */
  bad: boolean;
}

/**
 * A metrics.jsonl record as a row. Lines of the supervised warm-up (`warmup_step`,
 * no `step`) are not steps and not bad. `null` is how the trainer writes a NaN or an
 * Inf (JSON has neither): it becomes NaN in the row, which charts and summaries skip
 * and the run doctor reports (non-finite). A number JSON parses as infinite (1e999) is
 * not something a writer meant: dropped, and the line counted as bad; the rest is kept.
 */
export function readMetricRecord(record: Record<string, unknown>): MetricRecord {
  const step = record.step;
  if (step === undefined && 'warmup_step' in record) return { bad: false };
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) return { bad: true };
  const row: MetricRow = { step };
  let bad = false;
  for (const [key, value] of Object.entries(record)) {
    if (value === null && key !== 'step' && key !== 'time') row[key] = NaN;
    if (typeof value !== 'number') continue;
    if (Number.isFinite(value)) row[key] = value;
    else bad = true;
  }
  return { row, bad };
}

export interface AppendResult {
  /** Rows kept from this batch (superseded rows of the same batch already dropped). */
  added: MetricRow[];
  /** Lowest step superseded by this batch, if any. */
  supersededFrom?: number;
}

export class MetricsWindow {
  private rows: MetricRow[] = [];
  private latestValues: Record<string, number> = {};
  private highestStep = -Infinity;

  constructor(readonly capacity = DEFAULT_WINDOW) {}

  get all(): MetricRow[] {
    return this.rows;
  }

  get latest(): Record<string, number> {
    return this.latestValues;
  }

  get lastStep(): number | undefined {
    return this.rows.length > 0 ? this.rows[this.rows.length - 1].step : undefined;
  }

  /** Appends rows in file order; returns what listeners need to redraw. */
  append(rows: MetricRow[]): AppendResult {
    let supersededFrom: number | undefined;
    let added: MetricRow[] = [];
    for (const row of rows) {
      if (row.step <= this.highestStep) {
        supersededFrom = supersededFrom === undefined ? row.step : Math.min(supersededFrom, row.step);
        this.dropFrom(row.step);
        added = added.filter((r) => r.step < row.step);
      }
      this.rows.push(row);
      added.push(row);
      this.highestStep = row.step;
      this.remember(row);
    }
    if (supersededFrom !== undefined) this.recomputeLatest();
    this.trim();
    return { added, supersededFrom };
  }

  /** Drops every row at or after a step (a resume from a checkpoint before it). */
  dropFrom(step: number): void {
    const keep = this.rows.findIndex((r) => r.step >= step);
    if (keep === -1) return;
    this.rows.length = keep;
    this.highestStep = keep > 0 ? this.rows[keep - 1].step : step - 1;
    this.recomputeLatest();
  }

  clear(): void {
    this.rows = [];
    this.latestValues = {};
    this.highestStep = -Infinity;
  }

  private remember(row: MetricRow): void {
    for (const [key, value] of Object.entries(row)) {
      if (typeof value === 'number') this.latestValues[key] = value;
    }
  }

  private recomputeLatest(): void {
    this.latestValues = {};
    for (const row of this.rows) this.remember(row);
  }

  private trim(): void {
    const excess = this.rows.length - this.capacity;
    if (excess > 0) this.rows.splice(0, excess);
  }
}

/** Keeps only the current copy of each step from rows in file order (pure, for streaming history). */
export function currentRows(rows: MetricRow[]): MetricRow[] {
  const out: MetricRow[] = [];
  for (const row of rows) {
    while (out.length > 0 && out[out.length - 1].step >= row.step) out.pop();
    out.push(row);
  }
  return out;
}
