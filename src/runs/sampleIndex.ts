// An index of samples.jsonl by step: where the current copy of each step starts.
// Built on request by scanning line starts (only each line's first bytes are
// decoded), then extended as the file grows. Used when a resume made steps repeat.
import * as fs from 'fs';
import { stepOfLinePrefix } from './sampleSeek';

const CHUNK = 4 * 1024 * 1024;

export class SampleIndex {
  /** Step -> byte offset of the first line of its current copy. */
  private readonly starts = new Map<number, number>();
  private scanned = 0;
  private lastStep: number | undefined;

  get position(): number {
    return this.scanned;
  }

  steps(): number[] {
    return [...this.starts.keys()].sort((a, b) => a - b);
  }

  startOf(step: number): number | undefined {
    return this.starts.get(step);
  }

  /** Scans from where the last scan stopped to the end of the file. */
  async extend(path: string): Promise<void> {
    const handle = await fs.promises.open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size < this.scanned) this.reset();
      await this.scan(handle, size);
    } finally {
      await handle.close();
    }
  }

  private reset(): void {
    this.starts.clear();
    this.scanned = 0;
    this.lastStep = undefined;
  }

  private async scan(handle: fs.promises.FileHandle, size: number): Promise<void> {
    const chunk = Buffer.alloc(CHUNK);
    while (this.scanned < size) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK, size - this.scanned), this.scanned);
      if (bytesRead === 0) return;
      const consumed = await this.indexLines(handle, chunk.subarray(0, bytesRead), size);
      if (consumed === 0) return; // a torn line at the end
      this.scanned += consumed;
    }
  }

  /** Indexes the lines that start in this chunk; returns bytes consumed (whole lines). */
  private async indexLines(handle: fs.promises.FileHandle, data: Buffer, size: number): Promise<number> {
    let start = 0;
    while (start < data.length) {
      const nl = data.indexOf(0x0a, start);
      if (nl === -1) return start > 0 ? start : this.skipLongLine(handle, data, size);
      this.note(data.toString('utf8', start, Math.min(nl, start + 64)), this.scanned + start);
      start = nl + 1;
    }
    return start;
  }

  /** A line longer than a chunk: index it from its prefix and find its end. */
  private async skipLongLine(handle: fs.promises.FileHandle, data: Buffer, size: number): Promise<number> {
    const probe = Buffer.alloc(64 * 1024);
    for (let at = this.scanned + data.length; at < size; at += probe.length) {
      const { bytesRead } = await handle.read(probe, 0, probe.length, at);
      const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
      if (nl !== -1) {
        this.note(data.toString('utf8', 0, 64), this.scanned);
        return at + nl + 1 - this.scanned;
      }
    }
    return 0;
  }

  private note(prefix: string, offset: number): void {
    const step = stepOfLinePrefix(prefix);
    if (step === undefined) return;
    if (this.lastStep !== undefined && step < this.lastStep) this.supersedeFrom(step);
    if (step !== this.lastStep) this.starts.set(step, offset);
    this.lastStep = step;
  }

  private supersedeFrom(step: number): void {
    for (const key of this.starts.keys()) if (key >= step) this.starts.delete(key);
  }
}
