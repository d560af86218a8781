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

/**
 * What starts at `at`: a record whose both CRCs check out, `short` when the bytes
 * needed are not all there yet (a torn record of a live file), or `corrupt`.
 */
export async function recordAt(window: FileWindow, at: number): Promise<FoundRecord | 'short' | 'corrupt'> {
  const header = window.peek(at, HEADER_BYTES) ?? (await window.get(at, HEADER_BYTES));
  if (!header) return 'short';
  if (header.readUInt32LE(8) !== maskedCrc32c(header, 0, 8)) return 'corrupt';
  const length = header.readUInt32LE(0) + header.readUInt32LE(4) * 2 ** 32;
  if (length > MAX_RECORD_BYTES) return 'corrupt';
  const start = at + HEADER_BYTES;
  const body = window.peek(start, length + FOOTER_BYTES) ?? (await window.get(start, length + FOOTER_BYTES));
  if (!body) return 'short';
  if (body.readUInt32LE(length) !== maskedCrc32c(body, 0, length)) return 'corrupt';
  return { data: body.subarray(0, length), next: start + length + FOOTER_BYTES };
}
