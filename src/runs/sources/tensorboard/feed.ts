// A logdir's scalars as a MetricFeed: every event file under the logdirs, followed
// record by record (a loader per directory that picks up new files, as TensorBoard's
// directory watcher does), grouped into one canonical row per step.
import * as path from 'path';
import type { MetricRow } from '../../model';
import type { NameTable, PrefixRules } from '../canonicalNames';
import type { MetricFeed, MetricPoll } from '../source';
import { decodeEvent } from './events';
import { DEFAULT_DEPTH, listEventFiles } from './eventFiles';
import { RecordReader, scanFile } from './records';
import { StepRows, rowsOf } from './stepRows';
import { readTailRecords } from './tailRecords';

export interface EventsFeedOptions {
  /** Folder levels below each logdir searched for event files (default 3; 0 = the logdir itself). */
  depth?: number;
}

export function eventsMetricFeed(
  logdirs: string[],
  table: NameTable,
  prefixes: PrefixRules,
  options: EventsFeedOptions = {},
): MetricFeed {
  return new EventsMetricFeed(logdirs, table, prefixes, options.depth ?? DEFAULT_DEPTH);
}

class EventsMetricFeed implements MetricFeed {
  private readers = new Map<string, RecordReader>();
  private lastTail = 64;

  constructor(
    private readonly logdirs: string[],
    private readonly table: NameTable,
    private readonly prefixes: PrefixRules,
    private readonly depth: number,
  ) {}

  /** The last `maxRows` steps, newest file first, reading only the ends of the files. */
  async tail(maxRows: number): Promise<MetricPoll> {
    this.lastTail = maxRows;
    this.readers.clear();
    const files = await listEventFiles(this.logdirs, this.depth);
    const pieces: MetricRow[][] = [];
    const bad: Record<string, number> = {};
    let need = maxRows;
    for (const file of [...files].reverse()) {
      if (need <= 0) {
        this.readers.set(file, await readerAtEnd(file));
        continue;
      }
      const rows = await this.tailOf(file, need, bad);
      pieces.unshift(rows);
      need -= rows.length;
    }
    return { rows: pieces.flat(), bad };
  }

  async poll(): Promise<MetricPoll> {
    const files = await listEventFiles(this.logdirs, this.depth);
    for (const known of this.readers.keys()) if (!files.includes(known)) this.readers.delete(known);
    const rows: MetricRow[] = [];
    const bad: Record<string, number> = {};
    let restarted = false;
    for (const file of files) {
      const reader = this.readers.get(file) ?? new RecordReader(file); // a new file is read from its start
      this.readers.set(file, reader);
      const collector = new StepRows(this.table, this.prefixes, (row) => rows.push(row));
      const result = await reader.read((data) => void collector.addRecord(data));
      collector.flush();
      count(bad, file, result.bad + collector.undecodable);
      restarted ||= result.restarted;
    }
    // A file truncated or replaced under us: start over from the ends of the files.
    if (restarted) return { ...(await this.tail(this.lastTail)), restarted: true };
    return { rows, bad };
  }

  async readAll(onRow: (row: MetricRow) => void): Promise<void> {
    for (const file of await listEventFiles(this.logdirs, this.depth)) {
      const collector = new StepRows(this.table, this.prefixes, onRow);
      await scanFile(file, (data) => void collector.addRecord(data));
      collector.flush();
    }
  }

  dispose(): void {
    this.readers.clear();
  }

  private async tailOf(file: string, need: number, bad: Record<string, number>): Promise<MetricRow[]> {
    const tail = await readTailRecords(file, (records) => stepsIn(records) > need);
    if (!tail) return [];
    this.readers.set(file, new RecordReader(file, { ...tail.end, identity: tail.identity }));
    const { rows, undecodable } = rowsOf(lastSteps(tail.records, need + 1), this.table, this.prefixes);
    count(bad, file, tail.bad + undecodable);
    // Unless the whole file was read, the stretch holds more than `need` steps: the first,
    // which may have begun before the stretch, is left out with the others before the last `need`.
    return rows.slice(-need);
  }
}

/** The step of a record with scalars (null: none), kept per record: a growing tail read asks again. */
const stepOfRecord = new WeakMap<Uint8Array, number | null>();

function scalarStep(data: Uint8Array): number | null {
  let step = stepOfRecord.get(data);
  if (step === undefined) {
    const event = decodeEvent(data, false);
    step = event && event.scalars.length > 0 ? event.step : null;
    stepOfRecord.set(data, step);
  }
  return step;
}

/** The records from the start of the last `steps` steps on (a tail read overshoots; only these are decoded into rows). */
function lastSteps(records: Uint8Array[], steps: number): Uint8Array[] {
  let seen = 0;
  let last: number | undefined;
  for (let i = records.length - 1; i >= 0; i--) {
    const step = scalarStep(records[i]);
    if (step === null || step === last) continue;
    last = step;
    if (++seen > steps) return records.slice(i + 1);
  }
  return records;
}

/** Steps (runs of consecutive events of one step) among the records' scalars. */
function stepsIn(records: Uint8Array[]): number {
  let steps = 0;
  let last: number | undefined;
  for (const data of records) {
    const step = scalarStep(data);
    if (step === null || step === last) continue;
    last = step;
    steps++;
  }
  return steps;
}

/** A reader past a file's last complete record (found by a short tail read, so a torn record is waited for). */
async function readerAtEnd(file: string): Promise<RecordReader> {
  const tail = await readTailRecords(file, () => true);
  return tail ? new RecordReader(file, { ...tail.end, identity: tail.identity }) : new RecordReader(file);
}

function count(bad: Record<string, number>, file: string, n: number): void {
  if (n > 0) bad[path.basename(file)] = (bad[path.basename(file)] ?? 0) + n;
}
