// A Trackio run's metrics, followed by row id: the metrics table only grows (ids are
// AUTOINCREMENT), so "what is new" is every row of the run with a larger id.
import { promises as fs } from 'fs';
import type { MetricRow } from '../../model';
import type { MetricFeed, MetricPoll } from '../source';
import type { TrackioHealth } from './health';
import { trackioRow } from './names';
import { queryTrackio, type TrackioOptions } from './query';

export class TrackioMetricFeed implements MetricFeed {
  private lastId = 0;
  private dbIdentity: string | undefined;
  /** Reward function names seen as `rewards/<name>/mean` (the samples' reward columns). */
  readonly rewardNames = new Set<string>();

  constructor(
    private readonly db: string,
    private readonly runName: string,
    private readonly health: TrackioHealth,
    private readonly options: TrackioOptions = {},
  ) {}

  async tail(maxRows: number): Promise<MetricPoll> {
    this.dbIdentity = await identity(this.db);
    const rows: MetricRow[] = [];
    const last = await this.read({ steps: Math.max(1, maxRows) }, (row) => rows.push(row));
    if (last !== undefined) this.lastId = last;
    return { rows, bad: this.health.bad() };
  }

  async poll(): Promise<MetricPoll> {
    const now = await identity(this.db);
    const restarted = this.dbIdentity !== undefined && now !== undefined && now !== this.dbIdentity;
    if (restarted) this.lastId = 0;
    if (now !== undefined) this.dbIdentity = now;
    const rows: MetricRow[] = [];
    const last = await this.read({ after: this.lastId }, (row) => rows.push(row));
    if (last !== undefined) this.lastId = last;
    return restarted ? { rows, restarted, bad: this.health.bad() } : { rows, bad: this.health.bad() };
  }

  async readAll(onRow: (row: MetricRow) => void): Promise<void> {
    await this.read({ after: 0 }, onRow);
  }

  /**
   * The last row id read; after a failed read, the last one delivered (rows come in id
   * order), or undefined when none was.
   */
  private async read(
    request: Record<string, unknown>,
    onRow: (row: MetricRow) => void,
  ): Promise<number | undefined> {
    let delivered: number | undefined;
    const answer = await queryTrackio(
      this.db,
      { op: 'rows', run: this.runName, ...request },
      (record) => {
        if (typeof record.id === 'number') delivered = Math.max(delivered ?? 0, record.id);
        if (record.bad) return this.health.badRecord(record.id);
        const row = trackioRow(
          Number(record.step),
          (record.values ?? {}) as Record<string, unknown>,
          record.time,
        );
        this.noteRewards(row);
        onRow(row);
      },
      this.options,
    );
    if (!this.health.took(answer)) return delivered;
    const last = answer.end?.last;
    return typeof last === 'number' ? last : undefined;
  }

  private noteRewards(row: MetricRow): void {
    for (const name of Object.keys(row)) {
      const m = /^rewards\/(.+)\/mean$/.exec(name);
      if (m) this.rewardNames.add(m[1]);
    }
  }
}

/** Identity of the database file: a new inode means it was replaced (deleted and recreated). */
async function identity(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}
