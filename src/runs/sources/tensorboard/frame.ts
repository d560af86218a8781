// TFRecord framing, the container of TensorBoard event files
// (tensorboard/summary/writer/record_writer.py):
//   uint64 length (LE) | uint32 masked CRC-32C of those 8 bytes | data | uint32 masked CRC-32C of data
// This module knows the framing only; what the data means is events.ts's business.
import { maskedCrc32c } from './crc32c';
import type { FileWindow } from './fileWindow';

export const HEADER_BYTES = 12;
export const FOOTER_BYTES = 4;
/** Longer "records" are taken for corruption: real event records are kilobytes, images a few megabytes. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** One record framed the way RecordWriter.write frames it. */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + data.length + FOOTER_BYTES);
  out.writeUInt32LE(data.length >>> 0, 0);
  out.writeUInt32LE(Math.floor(data.length / 2 ** 32), 4);
  out.writeUInt32LE(maskedCrc32c(out, 0, 8), 8);
  out.set(data, HEADER_BYTES);
  out.writeUInt32LE(maskedCrc32c(data), HEADER_BYTES + data.length);
  return out;
}

/** A complete, checked record: its data and the offset just after it. */
export interface FoundRecord {
  data: Buffer;
  next: number;
}

/** Bytes on disk that the window does not hold yet. */
interface Load {
  load: number;
  length: number;
}

/**
 * What starts at `at`, judged from the bytes in memory (no await in the hot loop): a
 * record whose both CRCs check out, `short` when the bytes needed are not all written
 * yet (a torn record of a live file), `corrupt`, or the bytes to load first.
 */
export function checkRecord(window: FileWindow, at: number): FoundRecord | 'short' | 'corrupt' | Load {
  if (at + HEADER_BYTES > window.end) return 'short';
  const h = window.indexOf(at, HEADER_BYTES);
  if (h < 0) return { load: at, length: HEADER_BYTES };
  const bytes = window.chunkBytes;
  if (bytes.readUInt32LE(h + 8) !== maskedCrc32c(bytes, h, h + 8)) return 'corrupt';
  const length = bytes.readUInt32LE(h) + bytes.readUInt32LE(h + 4) * 2 ** 32;
  if (length > MAX_RECORD_BYTES) return 'corrupt';
  const total = HEADER_BYTES + length + FOOTER_BYTES;
  if (at + total > window.end) return 'short';
  if (window.indexOf(at, total) < 0) return { load: at, length: total }; // header and body in one chunk
  const d = h + HEADER_BYTES;
  if (bytes.readUInt32LE(d + length) !== maskedCrc32c(bytes, d, d + length)) return 'corrupt';
  return { data: bytes.subarray(d, d + length), next: at + total };
}

/** checkRecord, loading the bytes it needs from disk. */
export async function recordAt(window: FileWindow, at: number): Promise<FoundRecord | 'short' | 'corrupt'> {
  let found = checkRecord(window, at);
  // At most twice: the header (when the chunk is smaller), then the whole record.
  for (let loads = 0; loads < 2 && typeof found === 'object' && 'load' in found; loads++) {
    await window.load(found.load, found.length);
    found = checkRecord(window, at);
  }
  // Still not in memory after a load: the file shrank under us.
  return typeof found === 'object' && 'load' in found ? 'short' : found;
}
