// Temporary folders for tests that touch the file system.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function makeTempDir(prefix = 'grpo-lens-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function jsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}
