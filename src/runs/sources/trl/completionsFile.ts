// One completions_{step:05d}.parquet file as GRPOTrainer.log writes it (pandas
// DataFrame.to_parquet, pyarrow: Snappy, dictionary-encoded): one row per completion,
// columns `step`, `prompt`, `completion`, one float column per reward function (named
// after it), the columns reward functions add with log_extra, then `advantage`.
// pyarrow writes straight to the final path, so a file can be seen half-written.
import * as fs from 'fs';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';

const MAGIC = 'PAR1';
const FLOAT_TYPES = new Set(['DOUBLE', 'FLOAT']);

export interface CompletionsTable {
  /** Column names in file order. */
  columns: string[];
  /** Columns of floating-point numbers (reward columns are among them). */
  floatColumns: Set<string>;
  rows: Record<string, unknown>[];
}

/** Reads and decodes a whole file; throws when it is incomplete or corrupt. */
export async function readCompletionsFile(file: string): Promise<CompletionsTable> {
  const bytes = await fs.promises.readFile(file);
  if (!hasMagicAtBothEnds(bytes)) throw new Error('incomplete Parquet file (no PAR1 footer)');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(buffer);
  const columns = parquetSchema(metadata).children.map((child) => child.element);
  const rows = await parquetReadObjects({ file: buffer, metadata });
  return {
    columns: columns.map((c) => c.name),
    floatColumns: new Set(columns.filter((c) => c.type && FLOAT_TYPES.has(c.type)).map((c) => c.name)),
    rows,
  };
}

/** Whether a file ends like a finished Parquet file: cheap (12 bytes), for files seen in a listing. */
export async function looksComplete(file: string): Promise<boolean> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const { size } = await handle.stat();
    if (size < 12) return false;
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    await handle.read(tail, 0, 4, size - 4);
    return head.toString('latin1') === MAGIC && tail.toString('latin1') === MAGIC;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

function hasMagicAtBothEnds(bytes: Buffer): boolean {
  return (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === MAGIC &&
    bytes.toString('latin1', bytes.length - 4) === MAGIC
  );
}
