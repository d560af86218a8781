// What went wrong reading one Trackio database, shared by a run's feeds and facts:
// corrupt records are counted per file (bad), whole-database problems (locked, missing
// table, unknown schema, no Python) are said in words until a later read succeeds.
import * as path from 'path';
import type { QueryAnswer } from './query';

export class TrackioHealth {
  private readonly badRecords = new Set<number>();
  private problem: string | undefined;

  constructor(private readonly db: string) {}

  /** Records the outcome of a read; true when the read got through. */
  took(answer: QueryAnswer): boolean {
    if (answer.error) {
      this.problem = `${path.basename(this.db)}: ${answer.message ?? answer.error}`;
      return false;
    }
    this.problem = undefined;
    return true;
  }

  /**
   * A record that could not be read, by its row id so that a re-read does not count it
   * twice; true when it was not counted before.
   */
  badRecord(id: unknown): boolean {
    if (typeof id !== 'number' || this.badRecords.has(id)) return false;
    this.badRecords.add(id);
    return true;
  }

  /** Bad records per file: all of them (facts), or `count` new ones (a poll's). */
  bad(count = this.badRecords.size): Record<string, number> {
    return count ? { [path.basename(this.db)]: count } : {};
  }

  problems(): string[] {
    return this.problem ? [this.problem] : [];
  }
}
