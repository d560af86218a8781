// Following one event file record by record, the way TensorBoard's event file loader
// does: a reader remembers its byte offset and resumes there; a record torn at the
// end of a live file is left for a later poll; a corrupt record is counted once and
// skipped by resynchronising on the next offset whose two CRCs check out.
import { type FileIdentity, wasReplaced } from '../../follower';
import { DEFAULT_CHUNK, FileWindow, withFile } from './fileWindow';
import { HEADER_BYTES, checkRecord, recordAt } from './frame';

const HEAD_CHUNK = 64 * 1024;

/** Where a scan stands: the next offset to look at, and whether it is inside a corrupt stretch. */
export interface ScanState {
  offset: number;
  /** Inside a corrupt stretch already counted: the bad count waits for the next good record. */
  skipping: boolean;
}

export interface ScanResult extends ScanState {
  bad: number;
}

/** Called with each record's data and the offset it starts at; returning false ends the scan after it. */
export type OnRecord = (data: Buffer, offset: number) => void | boolean;

/** Reads every complete record from `from` to the window's end. */
export async function scanRecords(
  window: FileWindow,
  from: ScanState,
  onRecord: OnRecord,
): Promise<ScanResult> {
  let { offset, skipping } = from;
  let bad = 0;
  for (;;) {
    const check = checkRecord(window, offset);
    const found = typeof check === 'object' && 'load' in check ? await recordAt(window, offset) : check;
    if (found === 'short') break; // torn or not yet written: wait here
    if (found === 'corrupt') {
      if (!skipping) bad++;
      skipping = true;
      offset++;
      continue;
    }
    const more = onRecord(found.data, offset);
    skipping = false;
    offset = found.next;
    if (more === false) break;
  }
  return { offset, skipping, bad };
}

/** The first offset in [from, window end) where a complete record starts whose both CRCs check out. */
export async function findRecordStart(window: FileWindow, from: number): Promise<number | undefined> {
  for (let at = from; at + HEADER_BYTES <= window.end; at++) {
    const found = await recordAt(window, at);
    if (typeof found === 'object') return at;
  }
  return undefined;
}

export interface RecordPoll {
  records: Buffer[];
  bad: number;
  /** The file shrank, was replaced or vanished: reading started over. */
  restarted: boolean;
}

export interface ReaderStart extends ScanState {
  identity: FileIdentity;
}

export class RecordReader {
  private state: ScanState = { offset: 0, skipping: false };
  private identity: FileIdentity | undefined;

  constructor(
    readonly path: string,
    startAt?: ReaderStart,
  ) {
    if (startAt) {
      this.state = { offset: startAt.offset, skipping: startAt.skipping };
      this.identity = startAt.identity;
    }
  }

  get position(): number {
    return this.state.offset;
  }

  /** Hands every record appended since the last call to `onRecord`; its data is valid only during the call. */
  async read(onRecord: OnRecord): Promise<{ bad: number; restarted: boolean }> {
    const read = await withFile(this.path, undefined, async (handle, stat) => {
      const now = { size: stat.size, ino: stat.ino, birthtimeMs: stat.birthtimeMs };
      const restarted = wasReplaced(this.identity, now, this.state.offset);
      if (restarted) this.state = { offset: 0, skipping: false };
      this.identity = now;
      const window = new FileWindow(handle, now.size, DEFAULT_CHUNK, true);
      const result = await scanRecords(window, this.state, onRecord);
      this.state = { offset: result.offset, skipping: result.skipping };
      return { bad: result.bad, restarted };
    });
    return read ?? { bad: 0, restarted: this.forget() };
  }

  /** The records appended since the last call, as an array (for small reads and tests). */
  async poll(): Promise<RecordPoll> {
    const records: Buffer[] = [];
    const result = await this.read((data) => void records.push(Buffer.from(data)));
    return { records, ...result };
  }

  private forget(): boolean {
    const restarted = this.identity !== undefined;
    this.identity = undefined;
    this.state = { offset: 0, skipping: false };
    return restarted;
  }
}

/**
 * Streams a file's records from its start, reading at most `maxBytes` of it: the whole
 * file, or a cheap look at its head. Returns the number of corrupt stretches skipped.
 */
export async function scanFile(path: string, onRecord: OnRecord, maxBytes = Infinity): Promise<number> {
  return withFile(path, 0, async (handle, stat) => {
    const end = Math.min(stat.size, maxBytes);
    // A look at the head reads small chunks: it usually stops after a few records.
    const chunk = Number.isFinite(maxBytes) ? HEAD_CHUNK : DEFAULT_CHUNK;
    const window = new FileWindow(handle, end, Math.min(end, chunk), true);
    return (await scanRecords(window, { offset: 0, skipping: false }, onRecord)).bad;
  });
}

/** The first records of a file, reading at most `maxBytes` (a cheap look at what a file holds). */
export async function readHeadRecords(
  path: string,
  maxRecords: number,
  maxBytes = 1024 * 1024,
): Promise<Buffer[]> {
  const records: Buffer[] = [];
  await scanFile(path, (data) => records.push(Buffer.from(data)) < maxRecords, maxBytes);
  return records;
}

/** The data of the record at `offset`, or undefined if it is missing or does not check out. */
export async function readRecordAt(path: string, offset: number): Promise<Buffer | undefined> {
  return withFile(path, undefined, async (handle, stat) => {
    const found = await recordAt(new FileWindow(handle, stat.size, 64 * 1024), offset);
    return typeof found === 'object' ? found.data : undefined;
  });
}
