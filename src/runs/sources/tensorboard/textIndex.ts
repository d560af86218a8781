// The steps at which one text tag was logged, followed live across a logdir's event
// files. Only where each text lies (file, offset) is held; the texts themselves are
// read again on request, so a long run's samples never sit in memory. The history
// already on disk is indexed only when steps or texts are first asked for, so that
// opening a run (which polls) does not scan a 200 MB file.
import * as path from 'path';
import { DEFAULT_DEPTH, byWriteOrder, listEventFiles } from './eventFiles';
import { RecordReader, readRecordAt, scanFile } from './records';
import { readTailRecords } from './tailRecords';
import { type TextSummary, textMatcher } from './texts';

interface Place {
  file: string;
  offset: number;
}

export class TextTagIndex {
  private readonly readers = new Map<string, RecordReader>();
  private readonly places = new Map<number, Place[]>();
  /** Files present at the first poll, and how far their history goes (indexed on demand). */
  private readonly history = new Map<string, number>();
  private started = false;
  private readonly match: ReturnType<typeof textMatcher>;

  constructor(
    private readonly logdirs: string[],
    tag: string,
    private readonly depth = DEFAULT_DEPTH,
  ) {
    this.match = textMatcher(tag);
  }

  /** Steps with this tag, ascending (the first call reads the history through once). */
  async steps(): Promise<number[]> {
    await this.indexHistory();
    return [...this.places.keys()].sort((a, b) => a - b);
  }

  /**
   * The texts logged at a step. A step logged again after a resume (in a newer file)
   * shows only its latest copy.
   */
  async at(step: number): Promise<TextSummary[]> {
    await this.indexHistory();
    const places = this.places.get(step) ?? [];
    const newestFile = places
      .map((p) => p.file)
      .sort(byWriteOrder)
      .at(-1);
    const texts: TextSummary[] = [];
    for (const place of places.filter((p) => p.file === newestFile).sort((a, b) => a.offset - b.offset)) {
      const data = await readRecordAt(place.file, place.offset);
      if (data) texts.push(...this.match(data, place.file, place.offset));
    }
    return texts;
  }

  /**
   * Reads what was appended since the last poll; the steps seen for the first time,
   * ascending. The first poll only takes note of where the files end.
   */
  async poll(): Promise<{ newSteps: number[]; bad?: Record<string, number> }> {
    const newSteps = new Set<number>();
    const bad: Record<string, number> = {};
    for (const file of await listEventFiles(this.logdirs, this.depth)) {
      const reader = this.readers.get(file) ?? (await this.readerFor(file));
      this.readers.set(file, reader);
      const texts: TextSummary[] = [];
      const result = await reader.read((data, offset) => void texts.push(...this.match(data, file, offset)));
      if (result.restarted) this.forgetFile(file);
      for (const text of texts) if (this.place(text)) newSteps.add(text.step);
      if (result.bad > 0) bad[path.basename(file)] = result.bad;
    }
    this.started = true;
    return { newSteps: [...newSteps].sort((a, b) => a - b), bad };
  }

  dispose(): void {
    this.readers.clear();
    this.places.clear();
    this.history.clear();
  }

  /** A file there at the start is followed from its end; one that appears later, from its start. */
  private async readerFor(file: string): Promise<RecordReader> {
    if (this.started) return new RecordReader(file);
    const tail = await readTailRecords(file, () => true);
    if (!tail) return new RecordReader(file);
    this.history.set(file, tail.end.offset);
    return new RecordReader(file, { ...tail.end, identity: tail.identity });
  }

  private async indexHistory(): Promise<void> {
    if (!this.started) await this.poll();
    for (const [file, end] of this.history) {
      this.history.delete(file);
      await scanFile(
        file,
        (data, offset) => this.match(data, file, offset).forEach((t) => this.place(t)),
        end,
      );
    }
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
    this.history.delete(file);
    for (const [step, places] of this.places) {
      const kept = places.filter((p) => p.file !== file);
      if (kept.length > 0) this.places.set(step, kept);
      else this.places.delete(step);
    }
  }
}
