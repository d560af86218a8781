// Sample groups from completions/completions_{step:05d}.parquet. Listing the folder is
// all that steps() and poll() do (cheap with hundreds of files); at(step) reads one file.
// A file being written (no footer yet) is not reported until it is whole; one that stays
// broken is counted once as bad, never thrown.
import * as fs from 'fs';
import * as path from 'path';
import type { SampleGroup } from '../../model';
import type { SampleFeed } from '../source';
import { readCompletionsFile, looksComplete } from './completionsFile';
import { completionGroups, type GroupingHints } from './groups';
import { COMPLETIONS_DIR, completionsFileName, listCompletions } from './layout';

/** How long a file may stay unreadable before it counts as broken rather than being written. */
export const STALE_MS = 60_000;

export class CompletionsFeed implements SampleFeed {
  private readonly reported = new Set<number>();
  private readonly countedBad = new Set<string>();
  private pendingBad: Record<string, number> = {};

  constructor(
    private readonly dir: string,
    private readonly hints: () => Promise<GroupingHints>,
  ) {}

  async steps(): Promise<number[]> {
    return [...(await listCompletions(this.dir)).keys()].sort((a, b) => a - b);
  }

  async at(step: number): Promise<SampleGroup[]> {
    const name = (await listCompletions(this.dir)).get(step) ?? completionsFileName(step);
    const file = this.fileOf(name);
    try {
      return completionGroups(step, await readCompletionsFile(file), await this.hints());
    } catch {
      this.countBad(name, await this.staleSince(file));
      return [];
    }
  }

  async poll(): Promise<{ newSteps: number[]; bad?: Record<string, number> }> {
    const newSteps: number[] = [];
    for (const [step, name] of [...(await listCompletions(this.dir))].sort((a, b) => a[0] - b[0])) {
      if (this.reported.has(step)) continue;
      const file = this.fileOf(name);
      if (await looksComplete(file)) {
        this.reported.add(step);
        newSteps.push(step);
      } else this.countBad(name, await this.staleSince(file));
    }
    const bad = this.pendingBad;
    this.pendingBad = {};
    return Object.keys(bad).length > 0 ? { newSteps, bad } : { newSteps };
  }

  private fileOf(name: string): string {
    return path.join(this.dir, COMPLETIONS_DIR, name);
  }

  /** The file's modification time if it has not changed for STALE_MS, else undefined (still being written). */
  private async staleSince(file: string): Promise<number | undefined> {
    try {
      const { mtimeMs } = await fs.promises.stat(file);
      return Date.now() - mtimeMs > STALE_MS ? mtimeMs : undefined;
    } catch {
      return undefined;
    }
  }

  /** Once per file version: reading the same broken file again is not a new bad record. */
  private countBad(name: string, staleSince: number | undefined): void {
    if (staleSince === undefined) return;
    const key = `${name}@${staleSince}`;
    if (this.countedBad.has(key)) return;
    this.countedBad.add(key);
    const label = `${COMPLETIONS_DIR}/${name}`;
    this.pendingBad[label] = (this.pendingBad[label] ?? 0) + 1;
  }
}
