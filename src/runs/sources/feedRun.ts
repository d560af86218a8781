// A foreign run (TRL, verl, OpenRLHF, Trackio, TensorBoard) read through the feeds
// its source supplies. The index keeps only the summary (latest values from a
// short tail); a session holds the window of recent rows. We cannot see a foreign
// trainer's process, so a run is "running" while its files grow and "idle" after.
import { MetricsWindow } from '../metricsWindow';
import type { MetricRow, RunCapabilities, RunState, RunSummary, SampleGroup } from '../model';
import type {
  FeedParts,
  FoundRun,
  IndexChange,
  MetricPoll,
  RunFacts,
  RunReader,
  RunSession,
  SessionChange,
} from './source';

/** Rows the index reads to know each metric's latest value. */
const INDEX_ROWS = 64;
/**
 * Rows a session reads when it opens: enough for the dashboard's first paint and ETA,
 * few enough to read fast from the end of a large event file; the window then fills
 * to its capacity as the run grows, and the whole history is streamed on request.
 */
const SESSION_FIRST_ROWS = 300;

/** How long a foreign run's files may stay unchanged before it is called idle. */
export function idleAfterMs(): number {
  const fromEnv = Number(process.env.GRPO_LENS_IDLE_SECONDS);
  return (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 300) * 1000;
}

const READ_ONLY: RunCapabilities = { control: false, tokenDetails: false, resume: false };

export class FeedRun implements RunReader {
  private parts: FeedParts | undefined;
  private latest: Record<string, number> = {};
  private lastStep: number | undefined;
  private facts: RunFacts = {};
  private readonly bad: Record<string, number> = {};
  private readonly problems = new Map<string, string>();
  private lastWrite: number | undefined;
  private current: RunSummary;

  constructor(
    private readonly run: FoundRun,
    private readonly label: string,
    private readonly makeParts: () => FeedParts,
  ) {
    this.current = this.reduce();
  }

  get summary(): RunSummary {
    return this.current;
  }

  async open(): Promise<void> {
    this.parts = this.makeParts();
    const metrics = this.parts.metrics;
    this.absorb(await this.attempt('metrics', () => metrics.tail(INDEX_ROWS)));
    await this.readFacts();
    this.current = this.reduce();
  }

  async update(): Promise<IndexChange> {
    if (!this.parts) await this.open();
    else {
      const metrics = this.parts.metrics;
      this.absorb(await this.attempt('metrics', () => metrics.poll()));
      await this.readFacts();
    }
    return { summary: this.refreshed() || undefined };
  }

  async tick(): Promise<boolean> {
    await this.readLastWrite();
    return this.refreshed();
  }

  openSession(): RunSession {
    return new FeedSession(this.makeParts());
  }

  dispose(): void {
    this.parts?.metrics.dispose?.();
    this.parts?.samples?.dispose?.();
  }

  private refreshed(): boolean {
    const before = JSON.stringify(this.current);
    this.current = this.reduce();
    return JSON.stringify(this.current) !== before;
  }

  private absorb(poll: MetricPoll | undefined): void {
    if (!poll) return;
    if (poll.restarted) {
      this.latest = {};
      this.lastStep = undefined;
    }
    addCounts(this.bad, poll.bad);
    for (const row of poll.rows) {
      this.lastStep = row.step;
      for (const [key, value] of Object.entries(row)) {
        if (key !== 'step' && key !== 'time' && typeof value === 'number') this.latest[key] = value;
      }
    }
  }

  private async readFacts(): Promise<void> {
    const facts = this.parts?.facts;
    this.facts = (facts && (await this.attempt('run files', facts))) ?? this.facts;
    await this.readLastWrite();
  }

  private async readLastWrite(): Promise<void> {
    const parts = this.parts;
    if (parts) this.lastWrite = (await this.attempt('file times', () => parts.lastWrite())) ?? this.lastWrite;
  }

  /** Runs one read; a failure becomes a problem shown on the run, never an exception. */
  private async attempt<T>(what: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await read();
      this.problems.delete(what);
      return result;
    } catch (err) {
      this.problems.set(what, `Could not read ${what}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private reduce(): RunSummary {
    const facts = this.facts;
    return {
      id: this.run.id,
      dir: this.run.dir,
      name: facts.name ?? this.run.name,
      source: this.run.source,
      sourceLabel: this.label,
      capabilities: { ...READ_ONLY, ...this.parts?.capabilities },
      problems: [...this.problems.values(), ...(facts.problems ?? [])],
      state: foreignState(facts, this.lastWrite, Date.now()),
      step: this.lastStep ?? 0,
      totalSteps: facts.totalSteps,
      latestReward: this.latest.reward,
      latest: { ...this.latest },
      startedAt: facts.startedAt,
      updatedAt: this.lastWrite,
      checkpoints: facts.checkpoints ?? [],
      lastCheckpoint: facts.checkpoints?.at(-1)?.path,
      badLines: { ...this.bad, ...facts.bad },
      config: facts.config,
    };
  }
}

/** Finished when the trainer says so; else running while files grow, idle after a quiet period. */
export function foreignState(facts: RunFacts, lastWrite: number | undefined, now: number): RunState {
  if (facts.finished) return 'finished';
  if (lastWrite === undefined) return 'idle';
  return now - lastWrite < idleAfterMs() ? 'running' : 'idle';
}

function addCounts(into: Record<string, number>, counts: Record<string, number> | undefined): void {
  for (const [file, count] of Object.entries(counts ?? {})) {
    if (count > 0) into[file] = (into[file] ?? 0) + count;
  }
}

/** What an open foreign run holds: a window of recent rows; samples read on request. */
export class FeedSession implements RunSession {
  private readonly window = new MetricsWindow();
  private samplesQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly parts: FeedParts) {}

  async open(): Promise<void> {
    this.append(await this.parts.metrics.tail(SESSION_FIRST_ROWS).catch(() => undefined));
    // The first samples poll lists what is there already (later polls report only new
    // steps); it may open every file of a large run, so the first paint does not wait for it.
    void this.oneAtATime(() => this.parts.samples?.poll());
  }

  async update(): Promise<SessionChange> {
    const change = this.append(await this.parts.metrics.poll().catch(() => undefined));
    const samples = await this.oneAtATime(() => this.parts.samples?.poll());
    if (samples && samples.newSteps.length > 0) change.newSampleSteps = samples.newSteps;
    return change;
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
    return (await this.oneAtATime(() => this.parts.samples?.steps())) ?? [];
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
