// Reading every complete line of a byte range in large chunks, each line handed to a
// synchronous callback. Whole-history reads (a metrics.jsonl of 100 000 steps) then spend
// their time parsing, not awaiting one promise per line as an async generator of lines does.
import * as fs from 'fs';

const CHUNK = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

/** A complete line: bytes data[start, end) (the newline excluded, a trailing \r kept), at file offset `offset`. */
export type OnLineBytes = (data: Buffer, start: number, end: number, offset: number) => void;

/** Calls onLine for every complete line of [from, size); a torn last line (no newline yet) is not passed. */
export async function forEachLineIn(
  handle: fs.promises.FileHandle,
  from: number,
  size: number,
  onLine: OnLineBytes,
): Promise<void> {
  let position = from;
  let carry: Buffer | undefined;
  while (position < size) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, size - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    const read = chunk.subarray(0, bytesRead);
    const data = carry ? Buffer.concat([carry, read]) : read;
    const dataOffset = position - (carry?.length ?? 0);
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
      onLine(data, start, nl, dataOffset + start);
      start = nl + 1;
    }
    // Each chunk is a fresh buffer, so the unfinished line can point into it without a copy.
    carry = start < data.length ? data.subarray(start) : undefined;
    position += bytesRead;
  }
}
