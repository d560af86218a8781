// Follows one append-only JSON Lines file by byte offset. Each poll reads only the
// bytes appended since the last one; a torn last line waits for its newline; a file
// that shrank or was replaced (new inode or birth time) is read again from the start.
import * as fs from 'fs';
import { LineParser, parseLines, parseRecord, splitCompleteLines } from './lines';

export interface FileIdentity {
  size: number;
  ino: number;
  birthtimeMs: number;
}

export interface FollowResult {
  records: Record<string, unknown>[];
  bad: number;
  /** True when the file was truncated or replaced and this result starts over. */
  restarted: boolean;
}

/** Whether the file behind the path is no longer the one we were reading. */
export function wasReplaced(before: FileIdentity | undefined, now: FileIdentity, offset: number): boolean {
  if (!before) return false;
  if (now.size < offset) return true;
  if (now.ino !== before.ino) return true;
  return before.birthtimeMs > 0 && now.birthtimeMs > 0 && now.birthtimeMs !== before.birthtimeMs;
}

const MAX_READ = 8 * 1024 * 1024;

export class JsonlFollower {
  private offset = 0;
  private identity: FileIdentity | undefined;

  constructor(
    readonly path: string,
    startAt?: { offset: number; identity: FileIdentity },
    /** How a line becomes a record: whole JSON by default; a cheaper reader where only a field is needed. */
    private readonly parse: LineParser = parseRecord,
  ) {
    if (startAt) {
      this.offset = startAt.offset;
      this.identity = startAt.identity;
    }
  }

  get position(): number {
    return this.offset;
  }

  /** Whether the file shrank or was replaced since the last poll (without reading it). */
  async wasReplacedSinceLastPoll(): Promise<boolean> {
    try {
      const stat = await fs.promises.stat(this.path);
      return wasReplaced(
        this.identity,
        { size: stat.size, ino: stat.ino, birthtimeMs: stat.birthtimeMs },
        this.offset,
      );
    } catch {
      return this.identity !== undefined;
    }
  }

  /** Reads whatever complete lines were appended since the last call. */
  async poll(): Promise<FollowResult> {
    const empty: FollowResult = { records: [], bad: 0, restarted: false };
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.path, 'r');
    } catch {
      return this.forget(empty);
    }
    try {
      const stat = await handle.stat();
      const now = { size: stat.size, ino: stat.ino, birthtimeMs: stat.birthtimeMs };
      const restarted = wasReplaced(this.identity, now, this.offset);
      if (restarted) this.offset = 0;
      this.identity = now;
      const result = await this.readAppended(handle, now.size);
      return { ...result, restarted };
    } finally {
      await handle.close();
    }
  }

  private forget(empty: FollowResult): FollowResult {
    const restarted = this.identity !== undefined;
    this.identity = undefined;
    this.offset = 0;
    return { ...empty, restarted };
  }

  private async readAppended(
    handle: fs.promises.FileHandle,
    size: number,
  ): Promise<Omit<FollowResult, 'restarted'>> {
    const records: Record<string, unknown>[] = [];
    let bad = 0;
    while (this.offset < size) {
      const length = Math.min(size - this.offset, MAX_READ);
      const chunk = Buffer.alloc(length);
      const { bytesRead } = await handle.read(chunk, 0, length, this.offset);
      const split = splitCompleteLines(chunk.subarray(0, bytesRead));
      if (split.consumed === 0) {
        if (bytesRead < MAX_READ) break; // a torn line: wait for the rest
        // One line longer than MAX_READ: count it as bad and skip to its end.
        const skipped = await this.skipLongLine(handle, size);
        bad += skipped ? 1 : 0;
        if (!skipped) break;
        continue;
      }
      const parsed = parseLines(split.lines, this.parse);
      records.push(...parsed.records);
      bad += parsed.bad;
      this.offset += split.consumed;
    }
    return { records, bad };
  }

  private async skipLongLine(handle: fs.promises.FileHandle, size: number): Promise<boolean> {
    const chunk = Buffer.alloc(64 * 1024);
    for (let at = this.offset + MAX_READ; at < size; at += chunk.length) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
      const nl = chunk.subarray(0, bytesRead).indexOf(0x0a);
      if (nl !== -1) {
        this.offset = at + nl + 1;
        return true;
      }
    }
    return false;
  }
}
