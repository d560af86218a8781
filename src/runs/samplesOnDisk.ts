// Reading sample groups from samples.jsonl on request, never the whole file:
// a binary search by byte offset finds a step while steps only increase; once a
// resume made steps repeat, an index of line starts (built once, then extended)
// says where each step's current copy begins.
import * as fs from 'fs';
import type { SampleGroup } from './model';
import { SampleIndex } from './sampleIndex';
import { readStepLines, seekFirstLineAtStep } from './sampleSeek';
import { readTailLines } from './tail';

export class SampleReader {
  latestStep: number | undefined;
  sawResume = false;
  private index: SampleIndex | undefined;

  /** The step of the last complete line of the file. */
  async tailStep(file: string): Promise<number | undefined> {
    const tail = await readTailLines(file, 1);
    const step = tail?.records[0]?.step;
    return typeof step === 'number' ? step : undefined;
  }

  noteAppended(steps: number[]): void {
    for (const step of steps) {
      if (this.latestStep !== undefined && step < this.latestStep) this.sawResume = true;
      this.latestStep = step;
    }
  }

  forget(): void {
    this.index = undefined;
    this.latestStep = undefined;
  }

  async indexed(file: string): Promise<SampleIndex> {
    this.index ??= new SampleIndex();
    await this.index.extend(file);
    return this.index;
  }
}

export async function readSampleSteps(reader: SampleReader, file: string): Promise<number[]> {
  if (!fs.existsSync(file)) return [];
  return (await reader.indexed(file)).steps();
}

export async function readSamplesAt(
  reader: SampleReader,
  file: string,
  step: number,
  resumed: boolean,
): Promise<SampleGroup[]> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await handle.stat();
    const offset = resumed
      ? (await reader.indexed(file)).startOf(step)
      : await seekFirstLineAtStep(handle, size, step);
    if (offset === undefined) return [];
    const { records } = await readStepLines(handle, offset, size, step);
    return records.filter(isSampleGroup);
  } finally {
    await handle.close();
  }
}

/** A group with at least one completion that has text; anything else is not listed (an empty group opens nothing). */
function isSampleGroup(record: Record<string, unknown>): record is Record<string, unknown> & SampleGroup {
  const completions = record.completions;
  return (
    typeof record.step === 'number' &&
    Array.isArray(completions) &&
    completions.length > 0 &&
    completions.every(
      (c) => typeof c === 'object' && c !== null && typeof (c as { text?: unknown }).text === 'string',
    )
  );
}
