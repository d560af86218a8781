// A foreign run (TRL, verl, OpenRLHF, Trackio, TensorBoard) read through the feeds
// its source supplies. The index keeps only the summary (latest values from a
// short tail); a session (feedSession.ts) holds the window of recent rows. We cannot see a foreign
// trainer's process, so a run is "running" while its files grow and "idle" after.
import { withLaunch } from '../../launch/linkedSummary';
import type { RunCapabilities, RunState, RunSummary } from '../model';
import { FeedSession } from './feedSession';
import type { FeedParts, FoundRun, IndexChange, MetricPoll, RunFacts, RunReader, RunSession } from './source';

/** Rows the index reads to know each metric's latest value. */
const INDEX_ROWS = 64;

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
    // A run one of our launches writes takes that launch's state and controls.
    return withLaunch({
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
      mainFile: facts.mainFile,
    });
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
