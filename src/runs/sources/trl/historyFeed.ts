// Metrics from trainer_state.json's log_history, when no TensorBoard events are at hand.
// The file only changes when a checkpoint is saved (or save_state runs), so this feed
// is as live as save_steps. Each read is the whole history: what is new is what
// follows the entries already seen; a history that no longer starts with them (a
// resume from an earlier checkpoint, a new run in the same output_dir) starts over.
import type { MetricRow } from '../../model';
import type { MetricFeed, MetricPoll } from '../source';
import { historyRow } from './names';
import type { TrainerStateCache } from './trainerState';

type Entry = Record<string, unknown>;

/** Canonical rows of log_history entries; a step's train and eval entries become one row. */
export function historyRows(entries: readonly Entry[]): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const entry of entries) {
    const row = historyRow(entry);
    if (!row) continue;
    const last = rows.at(-1);
    if (last && last.step === row.step) rows[rows.length - 1] = { ...last, ...row };
    else rows.push(row);
  }
  return rows;
}

export class TrainerStateFeed implements MetricFeed {
  private seen = 0;
  private lastSeen: string | undefined;

  constructor(private readonly states: TrainerStateCache) {}

  async tail(maxRows: number): Promise<MetricPoll> {
    const history = await this.history();
    if (!history) return { rows: [] };
    this.remember(history);
    return { rows: historyRows(history).slice(-maxRows) };
  }

  async poll(): Promise<MetricPoll> {
    const history = await this.history();
    // Missing or half-written right now: nothing new, read again on the next change.
    if (!history) return { rows: [] };
    const appended = this.continues(history);
    const rows = historyRows(history.slice(appended ? this.seen : 0));
    this.remember(history);
    return appended ? { rows } : { rows, restarted: true };
  }

  async readAll(onRow: (row: MetricRow) => void): Promise<void> {
    for (const row of historyRows((await this.history()) ?? [])) onRow(row);
  }

  private async history(): Promise<Entry[] | undefined> {
    return (await this.states.newest())?.state?.logHistory;
  }

  /** Whether the history still begins with what was seen (the last seen entry is unchanged). */
  private continues(history: readonly Entry[]): boolean {
    if (this.seen === 0) return true;
    return history.length >= this.seen && JSON.stringify(history[this.seen - 1]) === this.lastSeen;
  }

  private remember(history: readonly Entry[]): void {
    this.seen = history.length;
    this.lastSeen = history.length > 0 ? JSON.stringify(history[history.length - 1]) : undefined;
  }
}
