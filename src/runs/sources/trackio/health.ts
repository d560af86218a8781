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

  /** A record that could not be read (by its row id, so a re-read does not count twice). */
  badRecord(id: unknown): void {
    if (typeof id === 'number') this.badRecords.add(id);
  }

  bad(): Record<string, number> {
    return this.badRecords.size ? { [path.basename(this.db)]: this.badRecords.size } : {};
  }

  problems(): string[] {
    return this.problem ? [this.problem] : [];
  }
}
