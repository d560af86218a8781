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
    const { last, fresh } = await this.read({ steps: Math.max(1, maxRows) }, (row) => rows.push(row));
    if (last !== undefined) this.lastId = last;
    return { rows, bad: this.health.bad(fresh) };
  }

  async poll(): Promise<MetricPoll> {
    const now = await identity(this.db);
    const replaced = this.dbIdentity !== undefined && now !== undefined && now !== this.dbIdentity;
    if (now !== undefined) this.dbIdentity = now;
    let rows: MetricRow[] = [];
    let read = await this.read({ after: replaced ? 0 : this.lastId }, (row) => rows.push(row));
    // The same file name and inode can come back for a new database: its ids restart.
    const renumbered = !replaced && read.seq !== undefined && read.seq < this.lastId;
    if (renumbered) {
      rows = [];
      read = await this.read({ after: 0 }, (row) => rows.push(row));
    }
    if (read.last !== undefined) this.lastId = read.last;
    const bad = this.health.bad(read.fresh);
    return replaced || renumbered ? { rows, restarted: true, bad } : { rows, bad };
  }

  async readAll(onRow: (row: MetricRow) => void): Promise<void> {
    await this.read({ after: 0 }, onRow);
  }

  /**
   * `last`: the last row id read; after a failed read, the last one delivered (rows come
   * in id order), or undefined when none was. `seq`: the table's highest id ever.
   * `fresh`: corrupt records not counted before.
   */
  private async read(
    request: Record<string, unknown>,
    onRow: (row: MetricRow) => void,
  ): Promise<{ last?: number; seq?: number; fresh: number }> {
    let delivered: number | undefined;
    let fresh = 0;
    const answer = await queryTrackio(
      this.db,
      { op: 'rows', run: this.runName, ...request },
      (record) => {
        if (typeof record.id === 'number') delivered = Math.max(delivered ?? 0, record.id);
        const values = record.bad ? undefined : recordValues(record);
        if (!values) {
          if (this.health.badRecord(record.id)) fresh++;
          return;
        }
        const row = trackioRow(Number(record.step), values, record.time);
        this.noteRewards(row);
        onRow(row);
      },
      this.options,
    );
    if (!this.health.took(answer)) return { last: delivered, fresh };
    const { last, seq } = answer.end ?? {};
    return {
      last: typeof last === 'number' ? last : undefined,
      seq: typeof seq === 'number' ? seq : undefined,
      fresh,
    };
  }

  private noteRewards(row: MetricRow): void {
    for (const name of Object.keys(row)) {
      const m = /^rewards\/(.+)\/mean$/.exec(name);
      if (m) this.rewardNames.add(m[1]);
    }
  }
}

/** A record's values: parsed by Python, or its flat JSON text as stored (undefined if corrupt). */
function recordValues(record: Record<string, unknown>): Record<string, unknown> | undefined {
  if (typeof record.json !== 'string') return (record.values ?? {}) as Record<string, unknown>;
  try {
    const values = JSON.parse(record.json) as unknown;
    return values && typeof values === 'object' ? (values as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Identity of the database file: a new inode means it was replaced (deleted and recreated). */
async function identity(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(file);
    return `${stat.dev}:${stat.ino}:${stat.birthtimeMs}`;
  } catch {
    return undefined;
  }
}
