// Reading the complete lines of a byte range of a file (sampleSeek's linesFrom). A last
// line without its newline (verl still writing it) is left out: it is read once it is whole.
import * as fs from 'fs';
import { linesFrom } from '../../sampleSeek';

/** Calls onLine for each complete line in [start, end) (end: the file's size when omitted). */
export async function readLineRange(
  path: string,
  onLine: (line: string) => void,
  start = 0,
  end?: number,
): Promise<void> {
  const handle = await fs.promises.open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    const stop = end ?? (await handle.stat()).size;
    // linesFrom keeps a trailing \r (a file written on Windows): drop it, as lines.ts does.
    for await (const line of linesFrom(handle, start, stop)) onLine(line.text.replace(/\r$/, ''));
  } finally {
    await handle.close();
  }
}

/** The first `length` bytes of a file ('' when it cannot be read). */
export async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await fs.promises.open(path, 'r').catch(() => undefined);
  if (!handle) return Buffer.alloc(0);
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
