// A bounded window onto an open file: the record scanners ask for byte ranges and
// the window reads one chunk at a time, so a 200 MB event file is never read whole.
import * as fs from 'fs';

export const DEFAULT_CHUNK = 4 * 1024 * 1024;

export class FileWindow {
  private bytes = Buffer.alloc(0);
  private memory = Buffer.alloc(0);
  private start = 0;

  /**
   * `end`: the scanners never look at or past this offset (the file size, or a bound).
   * `reuse`: read every chunk into the same memory, for a scan whose records are used
   * only inside its callback (a full scan then holds one chunk, not a trail of garbage).
   */
  constructor(
    private readonly handle: fs.promises.FileHandle,
    public end: number,
    private readonly chunk = DEFAULT_CHUNK,
    private readonly reuse = false,
  ) {}

  /** The chunk in memory: check bytes through `indexOf`, without a copy or a view per record. */
  get chunkBytes(): Buffer {
    return this.bytes;
  }

  /** Where bytes [at, at + length) lie in `chunkBytes`; -1 when the chunk does not hold them all. */
  indexOf(at: number, length: number): number {
    const from = at - this.start;
    return from < 0 || from + length > this.bytes.length || at + length > this.end ? -1 : from;
  }

  /** Bytes [at, at + length) if the current chunk holds them (no await in the hot loop). */
  peek(at: number, length: number): Buffer | undefined {
    const from = this.indexOf(at, length);
    return from < 0 ? undefined : this.bytes.subarray(from, from + length);
  }

  /** Reads the chunk that starts at `at` and holds at least `length` bytes (fewer at the end). */
  async load(at: number, length: number): Promise<void> {
    const size = Math.min(Math.max(this.chunk, length), this.end - at);
    // Unless reused, a fresh buffer per chunk: records handed out earlier stay valid.
    const buffer = this.reuse && this.memory.length >= size ? this.memory : Buffer.allocUnsafe(size);
    this.memory = buffer;
    const { bytesRead } = await this.handle.read(buffer, 0, size, at);
    this.bytes = buffer.subarray(0, bytesRead);
    this.start = at;
    if (bytesRead < size) this.end = at + bytesRead; // the file shrank under us
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
