// Splitting appended bytes into whole lines. Pure: the follower feeds it chunks and
// keeps its byte offsets; a torn last line stays unconsumed until its newline arrives.

const NEWLINE = 0x0a;

export interface SplitLines {
  /** Complete lines, without their newline (a trailing \r is dropped too). */
  lines: string[];
  /** Bytes consumed: everything up to and including the last newline. */
  consumed: number;
}

export function splitCompleteLines(chunk: Buffer): SplitLines {
  const lines: string[] = [];
  let start = 0;
  for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
    const end = nl > start && chunk[nl - 1] === 0x0d ? nl - 1 : nl;
    lines.push(chunk.toString('utf8', start, end));
    start = nl + 1;
  }
  return { lines, consumed: start };
}

/** Parses one JSON Lines record; undefined when the line is not a JSON object. */
export function parseRecord(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

export interface ParsedLines {
  records: Record<string, unknown>[];
  bad: number;
}

export type LineParser = (line: string) => Record<string, unknown> | undefined;

/** Parses lines into records, counting (and skipping) the ones that are not JSON objects. */
export function parseLines(lines: string[], parse: LineParser = parseRecord): ParsedLines {
  const records: Record<string, unknown>[] = [];
  let bad = 0;
  for (const line of lines) {
    if (isBlank(line)) continue;
    const record = parse(line);
    if (record) records.push(record);
    else bad++;
  }
  return { records, bad };
}
