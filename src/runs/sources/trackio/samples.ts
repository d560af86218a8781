// A Trackio run's sample groups: TRL's `completions` trackio.Table (GRPOTrainer.log:
// columns step, prompt, completion, one per reward function, extra columns, advantage),
// stored inside a metrics record as {"_type": "trackio.table", "_value": [row, …]}.
// Only an index (step -> record id) is kept; a step's table is read when asked for.
import type { SampleGroup } from '../../model';
import type { SampleFeed } from '../source';
import type { TrackioHealth } from './health';
import { queryTrackio, type TrackioOptions } from './query';
import { tableGroups } from './table';

interface TableRef {
  id: number;
  key: string;
}

export class TrackioSampleFeed implements SampleFeed {
  private readonly byStep = new Map<number, TableRef[]>();
  private lastId = 0;
  private indexed = false;

  constructor(
    private readonly db: string,
    private readonly runName: string,
    private readonly health: TrackioHealth,
    /** Reward function names and weights as far as the run says (metrics, config). */
    private readonly rewards: () => { names: string[]; weights?: number[] },
    private readonly options: TrackioOptions = {},
  ) {}

  async steps(): Promise<number[]> {
    if (!this.indexed) await this.poll();
    return [...this.byStep.keys()].sort((a, b) => a - b);
  }

  async poll(): Promise<{ newSteps: number[]; bad?: Record<string, number> }> {
    const newSteps: number[] = [];
    let fresh = 0;
    const answer = await queryTrackio(
      this.db,
      { op: 'tables', run: this.runName, after: this.lastId },
      (record) => {
        if (record.bad) {
          if (this.health.badRecord(record.id)) fresh++;
          return;
        }
        for (const step of (record.steps as number[]) ?? []) {
          if (!this.byStep.has(step)) newSteps.push(step);
          const refs = this.byStep.get(step) ?? [];
          refs.push({ id: record.id as number, key: String(record.key) });
          this.byStep.set(step, refs);
        }
      },
      this.options,
    );
    if (this.health.took(answer)) {
      const { last, seq } = answer.end ?? {};
      if (typeof seq === 'number' && seq < this.lastId) return this.startOver();
      this.indexed = true;
      if (typeof last === 'number') this.lastId = last;
    }
    return { newSteps: [...new Set(newSteps)].sort((a, b) => a - b), bad: this.health.bad(fresh) };
  }

  /** The database was replaced: its ids start again. */
  private startOver(): ReturnType<SampleFeed['poll']> {
    this.byStep.clear();
    this.lastId = 0;
    return this.poll();
  }

  async at(step: number): Promise<SampleGroup[]> {
    const groups: SampleGroup[] = [];
    for (const ref of this.byStep.get(step) ?? []) {
      const rows: Record<string, unknown>[] = [];
      const answer = await queryTrackio(
        this.db,
        { op: 'table', id: ref.id, key: ref.key },
        (record) => {
          if (record.bad) this.health.badRecord(ref.id);
          else if (Array.isArray(record.rows)) rows.push(...(record.rows as Record<string, unknown>[]));
        },
        this.options,
      );
      if (!this.health.took(answer)) continue;
      const ofStep = rows.filter((r) => typeof r?.step !== 'number' || r.step === step);
      groups.push(...tableGroups(step, ofStep, this.rewards(), groups.length));
    }
    return groups;
  }
}
