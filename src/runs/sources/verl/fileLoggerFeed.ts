// The metrics of a verl run, from its `file` logger (verl/utils/tracking.py FileLogger):
// one `{"step": N, "data": {...}}` per line, in a file opened for writing (mode "w", or
// "wb" since 2026-01), so a restarted run truncates the same file in place.
import * as path from 'path';
import { JsonlFollower } from '../../follower';
import type { MetricRow } from '../../model';
import { readTailLines } from '../../tail';
import type { MetricFeed, MetricPoll } from '../source';
import { parseVerlLine } from './jsonLine';
import { readHead, readLineRange } from './lineRange';
import { verlRow } from './names';

/** A file-logger line's step and data, or undefined when it is not one. */
export function metricLine(
  record: Record<string, unknown>,
): { step: number; data: Record<string, unknown> } | undefined {
  const { step, data } = record;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) return undefined;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  return { step, data: data as Record<string, unknown> };
}

interface Tally {
  rows: MetricRow[];
  bad: number;
}

function tallyRecords(records: Record<string, unknown>[], bad = 0): Tally {
  const rows: MetricRow[] = [];
  for (const record of records) {
    const line = metricLine(record);
    if (line) rows.push(verlRow(line.step, line.data));
    else bad++;
  }
  return { rows, bad };
}

/** Enough of the file's start to tell it from a new file written over it in place. */
const HEAD_BYTES = 4096;

export class FileLoggerFeed implements MetricFeed {
  private follower: JsonlFollower;
  private head: Buffer = Buffer.alloc(0);

  /** `observe` sees every row read (the advantage convention probe reads its ranges). */
  constructor(
    readonly file: string,
    private readonly observe?: (row: MetricRow) => void,
  ) {
    this.follower = new JsonlFollower(file);
  }

  async tail(maxRows: number): Promise<MetricPoll> {
    const read = await readTailLines(this.file, maxRows);
    if (!read) {
      this.follower = new JsonlFollower(this.file);
      return { rows: [] };
    }
    this.follower = new JsonlFollower(this.file, { offset: read.endOffset, identity: read.identity });
    await this.rememberHead();
    if (read.bad === 0) return this.answer(tallyRecords(read.records));
    // A line did not parse strictly (NaN from json.dumps): read its last lines again, tolerantly.
    return this.answer(await this.readRange(0, read.endOffset, maxRows));
  }

  async poll(): Promise<MetricPoll> {
    // verl reopens the same file with "w": same inode, and it may already be longer than
    // where we were. The follower sees only a shrink; a changed start says the rest.
    const rewritten = await this.headChanged();
    if (rewritten) this.follower = new JsonlFollower(this.file);
    const before = this.follower.position;
    const result = await this.follower.poll();
    const start = result.restarted ? 0 : before;
    const tally =
      result.bad > 0 ? await this.readRange(start, this.follower.position) : tallyRecords(result.records);
    if (rewritten || result.restarted) this.head = Buffer.alloc(0) as Buffer;
    await this.rememberHead();
    return this.answer(tally, rewritten || result.restarted);
  }

  async readAll(onRow: (row: MetricRow) => void): Promise<void> {
    await readLineRange(this.file, (text) => {
      const record = parseVerlLine(text);
      const line = record && metricLine(record);
      if (!line) return;
      const row = verlRow(line.step, line.data);
      this.observe?.(row);
      onRow(row);
    });
  }

  private answer(tally: Tally, restarted = false): MetricPoll {
    if (this.observe) tally.rows.forEach(this.observe);
    const poll: MetricPoll = { rows: tally.rows };
    if (restarted) poll.restarted = true;
    if (tally.bad > 0) poll.bad = { [path.basename(this.file)]: tally.bad };
    return poll;
  }

  /** The last `keep` lines of [start, end), parsed tolerantly (only those are parsed). */
  private async readRange(start: number, end: number, keep = Infinity): Promise<Tally> {
    let lines: string[] = [];
    const onLine = (text: string) => {
      if (text.trim().length === 0) return;
      lines.push(text);
      if (lines.length >= 2 * keep) lines = lines.slice(-keep);
    };
    await readLineRange(this.file, onLine, start, end);
    const records: Record<string, unknown>[] = [];
    let bad = 0;
    for (const text of lines.slice(-keep)) {
      const record = parseVerlLine(text);
      if (record) records.push(record);
      else bad++;
    }
    return tallyRecords(records, bad);
  }

  private async headChanged(): Promise<boolean> {
    if (this.head.length === 0) return false;
    const now = await readHead(this.file, this.head.length);
    return !now.equals(this.head);
  }

  private async rememberHead(): Promise<void> {
    if (this.head.length >= HEAD_BYTES) return;
    const length = Math.min(HEAD_BYTES, this.follower.position);
    if (length > this.head.length) this.head = await readHead(this.file, length);
  }
}
