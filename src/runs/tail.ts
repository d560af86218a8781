// Reading the end of a large JSON Lines file without reading the rest of it.
import * as fs from 'fs';
import type { FileIdentity } from './follower';
import { parseLines } from './lines';

const CHUNK = 256 * 1024;

export interface TailRead {
  records: Record<string, unknown>[];
  bad: number;
  /** Byte offset just after the last complete line: where a follower starts. */
  endOffset: number;
  identity: FileIdentity;
}

/**
 * The last `maxLines` complete lines of a file, read backwards in chunks.
 * A torn last line (no newline yet) is left for the follower.
 */
export async function readTailLines(path: string, maxLines: number): Promise<TailRead | undefined> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    const identity = { size: stat.size, ino: stat.ino, birthtimeMs: stat.birthtimeMs };
    const { text, endOffset } = await readBackwards(handle, stat.size, maxLines);
    const lines = text.length > 0 ? text.split('\n') : [];
    const parsed = parseLines(lines.slice(-maxLines).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
    return { ...parsed, endOffset, identity };
  } finally {
    await handle.close();
  }
}

async function readBackwards(
  handle: fs.promises.FileHandle,
  size: number,
  maxLines: number,
): Promise<{ text: string; endOffset: number }> {
  const chunks: Buffer[] = [];
  let newlines = 0;
  let endOffset = -1;
  let position = size;
  // Stop once we hold maxLines + 1 newlines: the first partial line is then dropped.
  while (position > 0 && newlines <= maxLines) {
    const length = Math.min(CHUNK, position);
    position -= length;
    const chunk = Buffer.alloc(length);
    await handle.read(chunk, 0, length, position);
    if (endOffset === -1) {
      const last = chunk.lastIndexOf(0x0a);
      if (last === -1) {
        chunks.unshift(chunk);
        continue;
      }
      endOffset = position + last + 1;
    }
    chunks.unshift(chunk);
    newlines += countNewlines(chunk);
  }
  if (endOffset === -1) return { text: '', endOffset: 0 };
  const all = Buffer.concat(chunks);
  const end = endOffset - position; // exclusive, drops the torn last line
  const start = position > 0 ? all.indexOf(0x0a) + 1 : 0; // drop a partial first line
  return { text: all.toString('utf8', start, Math.max(start, end - 1)), endOffset };
}

function countNewlines(chunk: Buffer): number {
  let count = 0;
  for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) count++;
  return count;
}

export interface JsonRead {
  value?: Record<string, unknown>;
  /** Set when the file exists but is not a JSON object: what is wrong, in words. */
  problem?: string;
}

/** Reads a small JSON file and says what is wrong with it, if anything (a missing file is not a problem). */
export async function readJsonFileReporting(path: string): Promise<JsonRead> {
  let text: string;
  try {
    text = await fs.promises.readFile(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return { value: value as Record<string, unknown> };
    return { problem: 'it is not a JSON object' };
  } catch (err) {
    return { problem: `it is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** Reads a small JSON file (run.json, status.json); undefined if missing or unparsable. */
export async function readJsonFile(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await fs.promises.readFile(path, 'utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
