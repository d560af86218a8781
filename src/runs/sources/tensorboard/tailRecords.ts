// The end of a large event file without reading the rest of it: look at the last
// stretch, find a record boundary by CRC checks (a false match needs both the length
// CRC and the data CRC to agree by chance), read from there, and step further back
// only while the caller has not got enough (a run's summary needs a few steps).
import * as fs from 'fs';
import type { FileIdentity } from '../../follower';
import { FileWindow, withFile } from './fileWindow';
import { findRecordStart, type ScanState, scanRecords } from './records';

const FIRST_SPAN = 256 * 1024;
const GROWTH = 4;

export interface TailRecords {
  /** Data of the records read, in file order. */
  records: Buffer[];
  /** Offset of the first record read (0 when the whole file was read). */
  start: number;
  /** Where a RecordReader picks up: after the last complete record. */
  end: ScanState;
  bad: number;
  identity: FileIdentity;
  /** Bytes read from disk (to show that a tail read stays small). */
  bytesRead: number;
}

/**
 * The last records of a file: at least enough for `enough(records)` to say yes, or the
 * whole file. Undefined if the file cannot be opened.
 */
export async function readTailRecords(
  path: string,
  enough: (records: Buffer[]) => boolean,
  firstSpan = FIRST_SPAN,
): Promise<TailRecords | undefined> {
  return withFile(path, undefined, async (handle, stat) => {
    const identity = { size: stat.size, ino: stat.ino, birthtimeMs: stat.birthtimeMs };
    return { ...(await readBackwards(handle, stat.size, enough, firstSpan)), identity };
  });
}

async function readBackwards(
  handle: fs.promises.FileHandle,
  size: number,
  enough: (records: Buffer[]) => boolean,
  firstSpan: number,
): Promise<Omit<TailRecords, 'identity'>> {
  let records: Buffer[] = [];
  let bound = size;
  let span = firstSpan;
  let end: ScanState | undefined;
  let bad = 0;
  let bytesRead = 0;
  while (bound > 0 && (end === undefined || !enough(records))) {
    const from = Math.max(0, bound - span);
    span *= GROWTH;
    // The stretch [from, bound) is read once, in one chunk.
    const window = new FileWindow(handle, bound, bound - from);
    const start = from === 0 ? 0 : await findRecordStart(window, from);
    bytesRead += bound - from;
    if (start === undefined) continue; // no whole record in this stretch: look further back
    const stretch: Buffer[] = [];
    const scan = await scanRecords(
      window,
      { offset: start, skipping: false },
      (data) => void stretch.push(data),
    );
    end ??= scan;
    bad += scan.bad;
    records = stretch.concat(records);
    bound = start;
  }
  return { records, start: bound, end: end ?? { offset: 0, skipping: false }, bad, bytesRead };
}
