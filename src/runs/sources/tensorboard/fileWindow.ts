// A bounded window onto an open file: the record scanners ask for byte ranges and
// the window reads one chunk at a time, so a 200 MB event file is never read whole.
import * as fs from 'fs';

export const DEFAULT_CHUNK = 4 * 1024 * 1024;

export class FileWindow {
  private bytes = Buffer.alloc(0);
  private start = 0;

  /** `end`: the scanners never look at or past this offset (the file size, or a bound). */
  constructor(
    private readonly handle: fs.promises.FileHandle,
    public end: number,
    private readonly chunk = DEFAULT_CHUNK,
  ) {}

  /** Bytes [at, at + length) if the current chunk holds them (no await in the hot loop). */
  peek(at: number, length: number): Buffer | undefined {
    const from = at - this.start;
    if (from < 0 || from + length > this.bytes.length || at + length > this.end) return undefined;
    return this.bytes.subarray(from, from + length);
  }

  /** Bytes [at, at + length), read from disk when needed; undefined when they lie past the end. */
  async get(at: number, length: number): Promise<Buffer | undefined> {
    if (at + length > this.end) return undefined;
    return this.peek(at, length) ?? (await this.load(at, length));
  }

  private async load(at: number, length: number): Promise<Buffer | undefined> {
    const size = Math.min(Math.max(this.chunk, length), this.end - at);
    // A fresh buffer per chunk: records handed out earlier stay valid.
    const buffer = Buffer.allocUnsafe(size);
    const { bytesRead } = await this.handle.read(buffer, 0, size, at);
    this.bytes = buffer.subarray(0, bytesRead);
    this.start = at;
    if (bytesRead < size) this.end = at + bytesRead; // the file shrank under us
    return this.peek(at, length);
  }
}

/** Runs `read` on the opened file and closes it again; `missing` when the file cannot be opened. */
export async function withFile<T>(
  path: string,
  missing: T,
  read: (handle: fs.promises.FileHandle, stat: fs.Stats) => Promise<T>,
): Promise<T> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch {
    return missing;
  }
  try {
    return await read(handle, await handle.stat());
  } finally {
    await handle.close();
  }
}
