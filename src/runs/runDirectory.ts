// One run directory (format grpo-lens/1) in memory: its summary, a window of recent
// metrics and events, and followers that read only what was appended. Samples stay
// on disk. The index holds one with a short window and no samples follower; a
// session (an open panel) holds one with the full window and samples.
import * as fs from 'fs';
import { eventKind, eventMessage, resumedFromStep } from './events';
import { JsonlFollower } from './follower';
import { expectedStepSeconds, isProcessAlive } from './liveness';
import { streamCurrentMetrics } from './metricsHistory';
import { DEFAULT_WINDOW, MetricsWindow, readMetricRecord } from './metricsWindow';
import type { CheckpointInfo, MetricRow, RunChange, RunSummary, SampleGroup } from './model';
import { FOLLOWED_FILES, RUN_FILES, runFile } from './sources/grpoLens/files';
import { stepOfLine } from './sampleSeek';
import { readSampleSteps, readSamplesAt, SampleReader } from './samplesOnDisk';
import { checkpointsFromNames, summarize } from './summary';
import { readJsonFile, readJsonFileReporting, readTailLines } from './tail';

export interface RunDirectoryMode {
  /** Metric rows kept in memory. */
  windowRows: number;
  /** Events kept in memory. */
  recentEvents: number;
  /** Follow samples.jsonl for new steps and bad lines (each line's first bytes only, never parsed whole). */
  samples: boolean;
}

/** What a panel needs. */
export const SESSION_MODE: RunDirectoryMode = {
  windowRows: DEFAULT_WINDOW,
  recentEvents: 500,
  samples: true,
};
/** What the index needs for the summary: the latest values and lifecycle events. */
export const INDEX_MODE: RunDirectoryMode = { windowRows: 64, recentEvents: 50, samples: true };

export class RunDirectory {
  private runJson: Record<string, unknown> | undefined;
  private status: Record<string, unknown> | undefined;
  private statusProblem: string | undefined;
  private readonly window: MetricsWindow;
  private events: Record<string, unknown>[] = [];
  private checkpoints: CheckpointInfo[] = [];
  private readonly badLines: Record<string, number> = {};
  private metrics: JsonlFollower;
  private eventsFollower: JsonlFollower;
  private samplesFollower: JsonlFollower | undefined;
  private readonly samples = new SampleReader();
  private processAlive: boolean | undefined;
  /** Which status.json was read last (inode, size, mtime), to notice a change no event told of. */
  private statusStamp: string | undefined;
  private current: RunSummary;

  constructor(
    readonly dir: string,
    private readonly mode: RunDirectoryMode = SESSION_MODE,
  ) {
    this.window = new MetricsWindow(mode.windowRows);
    this.metrics = new JsonlFollower(runFile(dir, 'metrics'));
    this.eventsFollower = new JsonlFollower(runFile(dir, 'events'));
    this.current = this.reduce();
  }

  get summary(): RunSummary {
    return this.current;
  }

  get recentMetrics(): MetricRow[] {
    return this.window.all;
  }

  get recentEvents(): Record<string, unknown>[] {
    return this.events;
  }

  /** Reads what a view needs: small files whole, the ends of the large ones. */
  async open(): Promise<RunChange> {
    await Promise.all([this.readRunJson(), this.readStatus(), this.readCheckpoints()]);
    const samples = this.mode.samples ? this.openSamples() : Promise.resolve();
    await Promise.all([this.openMetrics(), this.openEvents(), samples]);
    this.current = this.reduce();
    return { runId: this.dir, summary: true };
  }

  /** Reads what changed in the named files; undefined if nothing a listener sees changed. */
  async update(changed: Set<string>): Promise<RunChange | undefined> {
    const change: RunChange = { runId: this.dir };
    if (changed.has(RUN_FILES.run)) await this.readRunJson();
    if (changed.has(RUN_FILES.status)) await this.readStatus();
    if (changed.has(RUN_FILES.checkpoints)) await this.readCheckpoints();
    if (changed.has(RUN_FILES.events)) await this.followEvents(change);
    if (changed.has(RUN_FILES.metrics)) await this.followMetrics(change);
    if (changed.has(RUN_FILES.samples) && this.mode.samples) await this.followSamples(change);
    return this.finishReadingLastWords(change, changed);
  }

  /**
   * Re-checks that the process status.json names is alive (it may die without a word),
   * and reads the run's files again if status.json changed with no watcher event.
   */
  async checkLiveness(): Promise<RunChange | undefined> {
    if (await this.statusChangedUnseen()) return this.update(new Set(FOLLOWED_FILES));
    return this.finishReadingLastWords({ runId: this.dir }, new Set());
  }

  /** Whether status.json is not the file we last read (a missed event): one stat. */
  private async statusChangedUnseen(): Promise<boolean> {
    const stat = await fs.promises.stat(runFile(this.dir, 'status')).catch(() => undefined);
    return !!stat && statusStamp(stat) !== this.statusStamp;
  }

  /**
   * Like finish, but a run that turns stale here (its process is gone while the status
   * we hold says it is active) has its files read once more first: a dying trainer's
   * last status and events ("failed", "stopped") may have come with no watcher event.
   */
  private async finishReadingLastWords(
    change: RunChange,
    justRead: Set<string>,
  ): Promise<RunChange | undefined> {
    const before = this.current.state;
    const finished = this.finish(change);
    if (this.current.state !== 'stale' || before === 'stale') return finished;
    const unread = FOLLOWED_FILES.filter((name) => !justRead.has(name));
    if (unread.length === 0) return finished;
    const again = await this.update(new Set(unread));
    return finished || again ? { ...change, ...again, summary: true } : undefined;
  }

  readAllMetrics(onRow: (row: MetricRow) => void): Promise<void> {
    return streamCurrentMetrics(runFile(this.dir, 'metrics'), onRow);
  }

  sampleSteps(): Promise<number[]> {
    return readSampleSteps(this.samples, runFile(this.dir, 'samples'));
  }

  samplesAt(step: number): Promise<SampleGroup[]> {
    return readSamplesAt(this.samples, runFile(this.dir, 'samples'), step, this.resumed());
  }

  private finish(change: RunChange): RunChange | undefined {
    const before = this.current;
    this.current = this.reduce();
    if (JSON.stringify(before) !== JSON.stringify(this.current)) change.summary = true;
    const changed = change.summary || change.newMetrics || change.newEvents || change.newSampleSteps;
    return changed || change.supersededFrom !== undefined ? change : undefined;
  }

  private reduce(): RunSummary {
    const pid = typeof this.status?.pid === 'number' ? this.status.pid : undefined;
    const updated = typeof this.status?.updated === 'number' ? this.status.updated : undefined;
    this.processAlive = isProcessAlive(pid, updated, {
      expectedStepSeconds: expectedStepSeconds(this.window.all),
    });
    const failed = [...this.events].reverse().find((e) => eventKind(e) === 'failed');
    const summary = summarize({
      dir: this.dir,
      runJson: this.runJson,
      status: this.status,
      latest: { ...this.window.latest },
      lastMetricStep: this.window.lastStep,
      checkpoints: this.checkpoints,
      badLines: { ...this.badLines },
      processAlive: this.processAlive,
      failureMessage: failed && eventMessage(failed),
      problems: this.statusProblem ? [this.statusProblem] : [],
    });
    return { ...summary, mainFile: runFile(this.dir, 'metrics') };
  }

  private resumed(): boolean {
    return this.samples.sawResume || this.events.some((e) => resumedFromStep(e) !== undefined);
  }

  private countBad(file: string, bad: number): void {
    if (bad > 0) this.badLines[file] = (this.badLines[file] ?? 0) + bad;
  }

  private async readRunJson(): Promise<void> {
    this.runJson = (await readJsonFile(runFile(this.dir, 'run'))) ?? this.runJson;
  }

  private async readStatus(): Promise<void> {
    // status.json is replaced atomically; a failed read keeps the last good copy, and says so.
    const file = runFile(this.dir, 'status');
    const stat = await fs.promises.stat(file).catch(() => undefined);
    this.statusStamp = stat && statusStamp(stat);
    const read = await readJsonFileReporting(file);
    this.status = read.value ?? this.status;
    this.statusProblem = read.problem && `${RUN_FILES.status} could not be read: ${read.problem}.`;
  }

  private async readCheckpoints(): Promise<void> {
    const dir = runFile(this.dir, 'checkpoints');
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    this.checkpoints = checkpointsFromNames(dir, names);
  }

  private async openMetrics(): Promise<void> {
    const file = runFile(this.dir, 'metrics');
    const tail = await readTailLines(file, this.window.capacity);
    this.window.clear();
    if (!tail) return;
    const read = rowsOf(tail.records);
    this.window.append(read.rows);
    this.countBad(RUN_FILES.metrics, tail.bad + read.bad);
    this.metrics = new JsonlFollower(file, { offset: tail.endOffset, identity: tail.identity });
  }

  private async followMetrics(change: RunChange): Promise<void> {
    if (await this.metrics.wasReplacedSinceLastPoll()) {
      await this.openMetrics();
      change.supersededFrom = 0;
      change.newMetrics = [...this.window.all];
      return;
    }
    const result = await this.metrics.poll();
    const { rows, bad } = rowsOf(result.records);
    this.countBad(RUN_FILES.metrics, result.bad + bad);
    if (rows.length === 0) return;
    const appended = this.window.append(rows);
    change.newMetrics = appended.added;
    if (appended.supersededFrom !== undefined) change.supersededFrom = appended.supersededFrom;
  }

  private async openEvents(): Promise<void> {
    const file = runFile(this.dir, 'events');
    const tail = await readTailLines(file, this.mode.recentEvents);
    if (!tail) return;
    this.events = tail.records;
    this.countBad(RUN_FILES.events, tail.bad);
    this.eventsFollower = new JsonlFollower(file, { offset: tail.endOffset, identity: tail.identity });
  }

  private async followEvents(change: RunChange): Promise<void> {
    const result = await this.eventsFollower.poll();
    if (result.restarted) this.events = [];
    this.countBad(RUN_FILES.events, result.bad);
    if (result.records.length === 0) return;
    this.events = [...this.events, ...result.records].slice(-this.mode.recentEvents);
    change.newEvents = result.records;
    for (const event of result.records) this.applyResume(event, change);
  }

  /** A resume from a checkpoint at step k supersedes everything logged after k. */
  private applyResume(event: Record<string, unknown>, change: RunChange): void {
    const from = resumedFromStep(event);
    if (from === undefined) return;
    const lastStep = this.window.lastStep;
    if (lastStep === undefined || lastStep <= from) return;
    this.window.dropFrom(from + 1);
    change.supersededFrom = Math.min(change.supersededFrom ?? Infinity, from + 1);
  }

  private async openSamples(): Promise<void> {
    const file = runFile(this.dir, 'samples');
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat) return;
    // Follow from the end: what is already there is read on request only.
    const identity = { size: stat.size, ino: stat.ino, birthtimeMs: stat.birthtimeMs };
    this.samplesFollower = new JsonlFollower(file, { offset: stat.size, identity }, stepOnly);
    this.samples.latestStep = await this.samples.tailStep(file);
  }

  private async followSamples(change: RunChange): Promise<void> {
    const follower = (this.samplesFollower ??= new JsonlFollower(
      runFile(this.dir, 'samples'),
      undefined,
      stepOnly,
    ));
    if (await follower.wasReplacedSinceLastPoll()) {
      // Replaced (rsync from a cluster): read from the new end, never the whole file again.
      this.samples.forget();
      await this.openSamples();
      change.newSampleSteps = this.samples.latestStep !== undefined ? [this.samples.latestStep] : [];
      return;
    }
    const result = await follower.poll();
    this.countBad(RUN_FILES.samples, result.bad);
    const steps = [...new Set(result.records.map((r) => r.step).filter((s) => typeof s === 'number'))];
    if (steps.length === 0) return;
    this.samples.noteAppended(steps as number[]);
    change.newSampleSteps = steps as number[];
  }
}

function statusStamp(stat: fs.Stats): string {
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}

/**
 * A samples line reduced to its step, read from the line's first bytes: appended groups
 * are not parsed on the host. A line that cannot be a whole record (no closing brace,
 * bytes that are not UTF-8, shown as U+FFFD) is bad.
 */
function stepOnly(line: string): Record<string, unknown> | undefined {
  if (!line.trimEnd().endsWith('}') || line.includes('\uFFFD')) return undefined;
  const step = stepOfLine(line);
  return step === undefined ? undefined : { step };
}

function rowsOf(records: Record<string, unknown>[]): { rows: MetricRow[]; bad: number } {
  const rows: MetricRow[] = [];
  let bad = 0;
  for (const record of records) {
    const read = readMetricRecord(record);
    if (read.row) rows.push(read.row);
    if (read.bad) bad++;
  }
  return { rows, bad };
}
