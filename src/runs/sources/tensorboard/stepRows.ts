// Event records to metric rows: SummaryWriter writes one event per add_scalar, so the
// scalars of a step arrive as consecutive events; they become one row under canonical
// names, timed by the step's last wall_time (Unix seconds, as MetricRow.time).
import type { MetricRow } from '../../model';
import { canonicalRow, type NameTable, type PrefixRules } from '../canonicalNames';
import { type DecodedEvent, decodeEvent } from './events';

export class StepRows {
  private step: number | undefined;
  private time: number | undefined;
  private values: Record<string, number> = {};
  /** Records with valid framing that did not decode as an Event. */
  undecodable = 0;

  constructor(
    private readonly table: NameTable,
    private readonly prefixes: PrefixRules,
    private readonly emit: (row: MetricRow) => void,
  ) {}

  addRecord(data: Uint8Array): void {
    const event = decodeEvent(data, false);
    if (event) this.addEvent(event);
    else this.undecodable++;
  }

  addEvent(event: DecodedEvent): void {
    if (event.scalars.length === 0) return;
    if (event.step !== this.step) this.flush();
    this.step = event.step;
    this.time = Math.max(this.time ?? 0, event.wallTime);
    for (const [tag, value] of event.scalars) this.values[tag] = value;
  }

  /** Emits the row being gathered (at a file's end; its step may continue in the next poll). */
  flush(): void {
    if (this.step === undefined) return;
    this.emit(canonicalRow(this.step, this.values, this.table, this.prefixes, this.time));
    this.step = undefined;
    this.time = undefined;
    this.values = {};
  }
}

/** Rows of a run of records, in file order. */
export function rowsOf(
  records: Uint8Array[],
  table: NameTable,
  prefixes: PrefixRules,
): { rows: MetricRow[]; undecodable: number } {
  const rows: MetricRow[] = [];
  const collector = new StepRows(table, prefixes, (row) => rows.push(row));
  for (const data of records) collector.addRecord(data);
  collector.flush();
  return { rows, undecodable: collector.undecodable };
}
