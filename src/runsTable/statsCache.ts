// The stats of every run the table shows, kept while the extension runs so that opening
// the table again costs nothing. Each run's history is read once (the store's streamMetrics:
// current rows only, no session kept; a few runs at a time) and then followed: rows the store reports are
// folded in (supersession included); a run whose summary moved without rows (no session
// open) is read again, at most every few seconds. No vscode: the benchmark drives it.
import type { Disposable, MetricRow, RunChange, RunSummary } from '../runs/model';
import { RunStats } from './stats';

export interface StatsSource {
  get(runId: string): RunSummary | undefined;
  readAllMetrics(runId: string, onRow: (row: MetricRow) => void): Promise<void>;
  /** The same rows without keeping a session open (RunIndexStore has it); preferred when present. */
  streamMetrics?(runId: string, onRow: (row: MetricRow) => void): Promise<void>;
}

interface Entry {
  stats: RunStats;
  /** The summary's step and state when the stats were last exact. */
  signature: string;
  readAt: number;
  /** How long the last full read took: a run that is slow to read is read again less often. */
  readMs: number;
}

export interface StatsCacheOptions {
  /** Runs read at once. */
  concurrency?: number;
  /** A running run is read again at most this often. */
  rereadMs?: number;
}

function signatureOf(run: RunSummary | undefined): string {
  return run ? `${run.step}|${run.state}` : '';
}

export class RunStatsCache implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly listeners = new Set<(runIds: string[]) => void>();
  private running = 0;
  private tracked: (metric: string) => boolean = () => true;
  private trackedKey = '';
  /** Full reads done (tests, benchmark). */
  reads = 0;

  constructor(
    private readonly source: StatsSource,
    private readonly options: StatsCacheOptions = {},
  ) {}

  /** Which metrics to follow; a new choice forgets every run's stats (they are read again). */
  track(key: string, tracked: (metric: string) => boolean): void {
    if (key === this.trackedKey) return;
    this.trackedKey = key;
    this.tracked = tracked;
    this.entries.clear();
  }

  get(runId: string): RunStats | undefined {
    return this.entries.get(runId)?.stats;
  }

  /** Queues a read of every run whose stats are missing or behind its summary. */
  want(runs: readonly RunSummary[]): void {
    for (const run of runs) {
      const entry = this.entries.get(run.id);
      if (!entry) this.enqueue(run.id);
      else if (entry.signature !== signatureOf(run)) this.rereadLater(run.id, entry);
    }
  }

  /** Folds in rows the store reported; runs that moved without rows are read again. */
  noteChanges(changes: readonly RunChange[]): void {
    const updated: string[] = [];
    for (const change of changes) {
      const entry = this.entries.get(change.runId);
      if (change.removed) {
        this.entries.delete(change.runId);
        continue;
      }
      if (!entry) continue;
      if (change.newMetrics?.length || change.supersededFrom !== undefined) {
        if (change.supersededFrom !== undefined) entry.stats.supersede(change.supersededFrom);
        for (const row of change.newMetrics ?? []) entry.stats.add(row);
        if (entry.stats.incomplete) this.rereadLater(change.runId, entry);
        else entry.signature = signatureOf(this.source.get(change.runId));
        updated.push(change.runId);
      } else if (change.summary && entry.signature !== signatureOf(this.source.get(change.runId))) {
        this.rereadLater(change.runId, entry);
      }
    }
    if (updated.length > 0) this.tell(updated);
  }

  /** Runs whose stats changed, in batches as they are read. */
  onDidUpdate(listener: (runIds: string[]) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves when nothing is queued or being read (tests, benchmark). */
  async idle(): Promise<void> {
    while (this.running > 0 || this.queue.length > 0 || this.timers.size > 0)
      await new Promise((r) => setTimeout(r, 10));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.listeners.clear();
  }

  private rereadLater(runId: string, entry: Entry): void {
    if (this.timers.has(runId) || this.queued.has(runId)) return;
    const every = Math.max(this.options.rereadMs ?? 5000, 20 * entry.readMs);
    const wait = Math.max(0, entry.readAt + every - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(runId);
      this.enqueue(runId);
    }, wait);
    timer.unref?.();
    this.timers.set(runId, timer);
  }

  private enqueue(runId: string): void {
    if (this.queued.has(runId)) return;
    this.queued.add(runId);
    this.queue.push(runId);
    this.pump();
  }

  private pump(): void {
    while (this.running < (this.options.concurrency ?? 2) && this.queue.length > 0) {
      const runId = this.queue.shift()!;
      this.running++;
      void this.read(runId).finally(() => {
        this.running--;
        this.queued.delete(runId);
        this.pump();
      });
    }
  }

  private async read(runId: string): Promise<void> {
    const signature = signatureOf(this.source.get(runId));
    const key = this.trackedKey;
    let stats = new RunStats(this.tracked);
    const started = Date.now();
    try {
      const add = (row: MetricRow) => stats.add(row);
      await (this.source.streamMetrics
        ? this.source.streamMetrics(runId, add)
        : this.source.readAllMetrics(runId, add));
    } catch {
      stats = new RunStats(this.tracked); // a run that cannot be read keeps the values its summary has
    }
    this.reads++;
    if (key !== this.trackedKey || !this.source.get(runId)) return;
    const entry = { stats, signature, readAt: Date.now(), readMs: Date.now() - started };
    this.entries.set(runId, entry);
    // It moved while being read: read it again (later) to catch up.
    if (signatureOf(this.source.get(runId)) !== signature) this.rereadLater(runId, entry);
    this.tell([runId]);
  }

  private tell(runIds: string[]): void {
    for (const listener of [...this.listeners]) listener(runIds);
  }
}
