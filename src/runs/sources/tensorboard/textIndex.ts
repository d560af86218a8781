// The steps at which one text tag was logged, followed live across a logdir's event
// files. Only where each text lies (file, offset) is held; the texts themselves are
// read again on request, so a long run's samples never sit in memory.
import * as path from 'path';
import { DEFAULT_DEPTH, listEventFiles } from './eventFiles';
import { RecordReader, readRecordAt } from './records';
import { type TextSummary, textMatcher } from './texts';

interface Place {
  file: string;
  offset: number;
}

export class TextTagIndex {
  private readonly readers = new Map<string, RecordReader>();
  private readonly places = new Map<number, Place[]>();
  private readonly match: ReturnType<typeof textMatcher>;

  constructor(
    private readonly logdirs: string[],
    tag: string,
    private readonly depth = DEFAULT_DEPTH,
  ) {
    this.match = textMatcher(tag);
  }

  /** Steps with this tag, ascending (the first call reads the files through once). */
  async steps(): Promise<number[]> {
    if (this.readers.size === 0) await this.poll();
    return [...this.places.keys()].sort((a, b) => a - b);
  }

  /**
   * The texts logged at a step. A step logged again after a resume (in a newer file)
   * shows only its latest copy.
   */
  async at(step: number): Promise<TextSummary[]> {
    const places = this.places.get(step) ?? [];
    const newestFile = places.at(-1)?.file;
    const texts: TextSummary[] = [];
    for (const place of places.filter((p) => p.file === newestFile)) {
      const data = await readRecordAt(place.file, place.offset);
      if (data) texts.push(...this.match(data, place.file, place.offset));
    }
    return texts;
  }

  /** Reads what was appended; the steps seen for the first time, ascending. */
  async poll(): Promise<{ newSteps: number[]; bad?: Record<string, number> }> {
    const newSteps = new Set<number>();
    const bad: Record<string, number> = {};
    for (const file of await listEventFiles(this.logdirs, this.depth)) {
      const reader = this.readers.get(file) ?? new RecordReader(file);
      this.readers.set(file, reader);
      const texts: TextSummary[] = [];
      const result = await reader.read((data, offset) => void texts.push(...this.match(data, file, offset)));
      if (result.restarted) this.forgetFile(file);
      for (const text of texts) if (this.place(text)) newSteps.add(text.step);
      if (result.bad > 0) bad[path.basename(file)] = result.bad;
    }
    return { newSteps: [...newSteps].sort((a, b) => a - b), bad };
  }

  dispose(): void {
    this.readers.clear();
    this.places.clear();
  }

  /** Records where a text lies; true when its step is new. */
  private place(text: TextSummary): boolean {
    const places = this.places.get(text.step);
    if (places) {
      places.push({ file: text.file, offset: text.offset });
      return false;
    }
    this.places.set(text.step, [{ file: text.file, offset: text.offset }]);
    return true;
  }

  /** A truncated or replaced file: forget where its texts were (they are read again from its start). */
  private forgetFile(file: string): void {
    for (const [step, places] of this.places) {
      const kept = places.filter((p) => p.file !== file);
      if (kept.length > 0) this.places.set(step, kept);
      else this.places.delete(step);
    }
  }
}
