// An open foreign run: a window of recent rows (first read from the end of the
// trainer's files, then followed), the whole history streamed on request, and sample
// groups read from the trainer's files when asked.
import { MetricsWindow } from '../metricsWindow';
import type { MetricRow, SampleGroup } from '../model';
import type { FeedParts, MetricPoll, RunSession, SessionChange } from './source';

/**
 * Rows a session reads when it opens: enough for the dashboard's first paint and ETA,
 * few enough to read fast from the end of a large event file; the window then fills
 * to its capacity as the run grows, and the whole history is streamed on request.
 */
const SESSION_FIRST_ROWS = 300;

/** What an open foreign run holds: a window of recent rows; samples read on request. */
export class FeedSession implements RunSession {
  private readonly window = new MetricsWindow();
  private samplesQueue: Promise<unknown> = Promise.resolve();
  /** Steps a listing already gave out: the feed's first poll (which lists everything) reports only the others. */
  private readonly listedSteps = new Set<number>();
  private polledSamples = false;

  constructor(private readonly parts: FeedParts) {}

  async open(): Promise<void> {
    // Samples are not looked at here: a first poll may open every file of a large run,
    // and the first paint must not wait for it (see newSampleSteps).
    this.append(await this.parts.metrics.tail(SESSION_FIRST_ROWS).catch(() => undefined));
  }

  async update(): Promise<SessionChange> {
    const change = this.append(await this.parts.metrics.poll().catch(() => undefined));
    const newSteps = await this.newSampleSteps();
    if (newSteps.length > 0) change.newSampleSteps = newSteps;
    return change;
  }

  /** Steps that appeared since the last look; the feed's first poll lists all it has, less what a listing gave out. */
  private async newSampleSteps(): Promise<number[]> {
    const polled = (await this.oneAtATime(() => this.parts.samples?.poll()))?.newSteps ?? [];
    const first = !this.polledSamples;
    this.polledSamples = true;
    return first ? polled.filter((s) => !this.listedSteps.has(s)) : polled;
  }

  recentMetrics(): MetricRow[] {
    return this.window.all;
  }

  recentEvents(): Record<string, unknown>[] {
    return [];
  }

  async readAllMetrics(onRow: (row: MetricRow) => void): Promise<void> {
    const rows: MetricRow[] = [];
    await this.parts.metrics.readAll((row) => rows.push(row));
    for (const row of mergeSteps(rows)) onRow(row);
  }

  async sampleSteps(): Promise<number[]> {
    const steps = (await this.oneAtATime(() => this.parts.samples?.steps())) ?? [];
    if (!this.polledSamples) for (const s of steps) this.listedSteps.add(s);
    return steps;
  }

  async samplesAt(step: number): Promise<SampleGroup[]> {
    return (await this.oneAtATime(() => this.parts.samples?.at(step))) ?? [];
  }

  /** A samples feed keeps state between calls (listings, indexes): it is asked one thing at a time. */
  private oneAtATime<T>(ask: () => Promise<T> | undefined): Promise<T | undefined> {
    const answer = this.samplesQueue.then(ask).catch(() => undefined);
    this.samplesQueue = answer.then(() => undefined);
    return answer;
  }

  dispose(): void {
    this.parts.metrics.dispose?.();
    this.parts.samples?.dispose?.();
  }

  private append(poll: MetricPoll | undefined): SessionChange {
    const change: SessionChange = {};
    if (!poll) return change;
    if (poll.restarted) {
      this.window.clear();
      change.supersededFrom = 0;
    }
    const appended = this.window.append(this.mergedWithLast(poll.rows));
    if (appended.added.length > 0) change.newMetrics = appended.added;
    if (appended.supersededFrom !== undefined)
      change.supersededFrom = Math.min(change.supersededFrom ?? Infinity, appended.supersededFrom);
    return change;
  }

  /** A step whose scalars arrive in several polls: later values join the row already held. */
  private mergedWithLast(rows: MetricRow[]): MetricRow[] {
    const last = this.window.all.at(-1);
    if (!last || rows.length === 0 || rows[0].step !== last.step) return mergeSteps(rows);
    return mergeSteps([{ ...last, ...rows[0] }, ...rows.slice(1)]);
  }
}

/**
 * Rows of the same step next to each other become one row (a step's scalars may be
 * written one record at a time); a lower step than the last supersedes everything
 * from it on (a resume), so exactly one row per step remains, ascending.
 */
export function mergeSteps(rows: MetricRow[]): MetricRow[] {
  const out: MetricRow[] = [];
  for (const row of rows) {
    const last = out.at(-1);
    if (last && last.step === row.step) {
      out[out.length - 1] = { ...last, ...row };
      continue;
    }
    while (out.length > 0 && out[out.length - 1].step >= row.step) out.pop();
    out.push(row);
  }
  return out;
}
