// Finding a step's sample groups in a samples.jsonl that may be gigabytes long,
// by seeking: steps are mostly increasing, so a binary search over byte offsets,
// reading one line at each probe, lands near the step; a forward scan reads it.
import * as fs from 'fs';
import { parseRecord } from './lines';

const PROBE = 64 * 1024;

/** The step of a line, read from its first bytes when "step" comes first (as the trainer writes it). */
export function stepOfLinePrefix(prefix: string): number | undefined {
  const match = /^\s*\{\s*"step"\s*:\s*(-?\d+)/.exec(prefix);
  if (match) return Number(match[1]);
  // Only text that ends in "}" can parse to an object: skip the doomed parse of a cut-off
  // prefix, whose thrown SyntaxError cost more than parsing the whole line.
  if (!endsWithBrace(prefix)) return undefined;
  const record = parseRecord(prefix);
  return typeof record?.step === 'number' ? record.step : undefined;
}

function endsWithBrace(text: string): boolean {
  let end = text.length - 1;
  while (end >= 0 && /\s/.test(text[end])) end--;
  return text[end] === '}';
}

/** The step of a whole line: from its prefix when possible, else by parsing it. */
export function stepOfLine(text: string): number | undefined {
  return stepOfLinePrefix(text.slice(0, 64)) ?? stepOfLinePrefix(text);
}

/**
 * stepOfLine of the line data[start, end), decoding only its first bytes when they hold the
 * step: 64 UTF-16 units never take more than 192 bytes, so the first 256 bytes decode them exactly.
 */
export function stepOfLineBytes(data: Buffer, start: number, end: number): number | undefined {
  const head = data.toString('utf8', start, Math.min(end, start + 256));
  const step = stepOfLinePrefix(head.slice(0, 64));
  if (step !== undefined) return step;
  return stepOfLinePrefix(end - start <= 256 ? head : data.toString('utf8', start, end));
}

export interface LineAt {
  /** Offset of the line's first byte. */
  start: number;
  step: number | undefined;
}

/** The first line starting at or after `offset`, with its step (read from its prefix). */
export async function lineAtOrAfter(
  handle: fs.promises.FileHandle,
  offset: number,
  size: number,
): Promise<LineAt | undefined> {
  let start = offset;
  const buffer = Buffer.alloc(PROBE);
  if (offset > 0) {
    const found = await nextLineStart(handle, offset, size, buffer);
    if (found === undefined) return undefined;
    start = found;
  }
  if (start >= size) return undefined;
  const { bytesRead } = await handle.read(buffer, 0, Math.min(PROBE, size - start), start);
  const slice = buffer.subarray(0, bytesRead);
  const nl = slice.indexOf(0x0a);
  const text = slice.toString('utf8', 0, nl === -1 ? bytesRead : nl);
  return { start, step: stepOfLinePrefix(text) };
}

/** The offset just after the first newline at or after offset - 1 (so offset itself if a line starts there). */
async function nextLineStart(
  handle: fs.promises.FileHandle,
  offset: number,
  size: number,
  buffer: Buffer,
): Promise<number | undefined> {
  for (let at = offset - 1; at < size; at += buffer.length) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - at), at);
    if (bytesRead === 0) return undefined;
    const nl = buffer.subarray(0, bytesRead).indexOf(0x0a);
    if (nl !== -1) return at + nl + 1;
  }
  return undefined;
}

/**
 * Offset of the first line whose step is >= target, assuming steps increase.
 * Reads about log2(size / line length) lines.
 */
export async function seekFirstLineAtStep(
  handle: fs.promises.FileHandle,
  size: number,
  target: number,
): Promise<number> {
  let low = 0;
  let high = size;
  while (high - low > PROBE) {
    const mid = Math.floor((low + high) / 2);
    const line = await lineAtOrAfter(handle, mid, size);
    if (line === undefined || line.start >= high) {
      high = mid;
    } else if (line.step !== undefined && line.step < target) {
      low = line.start + 1;
    } else {
      high = mid;
    }
  }
  return low === 0 ? 0 : ((await lineAtOrAfter(handle, low, size))?.start ?? size);
}

export interface StepLines {
  records: Record<string, unknown>[];
  bad: number;
}

/**
 * Reads the lines of one step from `offset` on, until a later step appears. When a
 * resume logged the step again further on, the caller passes that later offset.
 */
export async function readStepLines(
  handle: fs.promises.FileHandle,
  offset: number,
  size: number,
  step: number,
): Promise<StepLines> {
  const records: Record<string, unknown>[] = [];
  let bad = 0;
  for await (const line of linesFrom(handle, offset, size)) {
    const lineStep = stepOfLine(line.text);
    if (lineStep === undefined) {
      bad++;
      continue;
    }
    if (lineStep > step) break;
    if (lineStep < step) continue;
    const record = parseRecord(line.text);
    if (record) records.push(record);
    else bad++;
  }
  return { records, bad };
}

export interface RawLine {
  start: number;
  text: string;
}

/** Complete lines from an offset, read in chunks (a torn last line is not returned). */
export async function* linesFrom(
  handle: fs.promises.FileHandle,
  offset: number,
  size: number,
): AsyncGenerator<RawLine> {
  let position = offset;
  let carry = Buffer.alloc(0);
  const chunkSize = 1024 * 1024;
  while (position < size) {
    const chunk = Buffer.alloc(Math.min(chunkSize, size - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    const data =
      carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    const dataStart = position - carry.length;
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
      yield { start: dataStart + start, text: data.toString('utf8', start, nl) };
      start = nl + 1;
    }
    carry = Buffer.from(data.subarray(start));
    position += bytesRead;
  }
}
