// One run directory in memory: its summary, a window of recent metrics and events,
// and followers that read only what was appended. Samples stay on disk.
import * as fs from 'fs';
import { eventKind, eventMessage, resumedFromStep } from './events';
import { JsonlFollower } from './follower';
import { isProcessAlive } from './liveness';
import { streamCurrentMetrics } from './metricsHistory';
import { MetricsWindow, toMetricRow } from './metricsWindow';
import type { CheckpointInfo, MetricRow, RunChange, RunSummary, SampleGroup } from './model';
import { RUN_FILES, runFile } from './runFiles';
import { readSampleSteps, readSamplesAt, SampleReader } from './samplesOnDisk';
import { checkpointsFromNames, summarize } from './summary';
import { readJsonFile, readTailLines } from './tail';

const RECENT_EVENTS = 500;

export class RunDirectory {
  private runJson: Record<string, unknown> | undefined;
  private status: Record<string, unknown> | undefined;
  private readonly window = new MetricsWindow();
  private events: Record<string, unknown>[] = [];
  private checkpoints: CheckpointInfo[] = [];
  private readonly badLines: Record<string, number> = {};
  private metrics: JsonlFollower;
  private eventsFollower: JsonlFollower;
  private samplesFollower: JsonlFollower | undefined;
  private readonly samples = new SampleReader();
  private processAlive: boolean | undefined;
  private current: RunSummary;

  constructor(readonly dir: string) {
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
    await Promise.all([this.openMetrics(), this.openEvents(), this.openSamples()]);
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
    if (changed.has(RUN_FILES.samples)) await this.followSamples(change);
    return this.finish(change);
  }

  /** Re-checks that the process status.json names is alive (it may die without a word). */
  checkLiveness(): RunChange | undefined {
    return this.finish({ runId: this.dir });
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
    this.processAlive = isProcessAlive(pid, updated);
    const failed = [...this.events].reverse().find((e) => eventKind(e) === 'failed');
    return summarize({
      dir: this.dir,
      runJson: this.runJson,
      status: this.status,
      latest: { ...this.window.latest },
      lastMetricStep: this.window.lastStep,
      checkpoints: this.checkpoints,
      badLines: { ...this.badLines },
      processAlive: this.processAlive,
      failureMessage: failed && eventMessage(failed),
    });
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
    // status.json is replaced atomically; a failed read keeps the last good copy.
    this.status = (await readJsonFile(runFile(this.dir, 'status'))) ?? this.status;
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
    this.window.append(rowsOf(tail.records));
    // Lines without a step (the warm-up phase logs "warmup_step") are not bad, just not steps.
    this.countBad(RUN_FILES.metrics, tail.bad);
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
    const rows = rowsOf(result.records);
    this.countBad(RUN_FILES.metrics, result.bad);
    if (rows.length === 0) return;
    const appended = this.window.append(rows);
    change.newMetrics = appended.added;
    if (appended.supersededFrom !== undefined) change.supersededFrom = appended.supersededFrom;
  }

  private async openEvents(): Promise<void> {
    const file = runFile(this.dir, 'events');
    const tail = await readTailLines(file, RECENT_EVENTS);
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
    this.events = [...this.events, ...result.records].slice(-RECENT_EVENTS);
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
    this.samplesFollower = new JsonlFollower(file, { offset: stat.size, identity });
    this.samples.latestStep = await this.samples.tailStep(file);
  }

  private async followSamples(change: RunChange): Promise<void> {
    this.samplesFollower ??= new JsonlFollower(runFile(this.dir, 'samples'));
    const result = await this.samplesFollower.poll();
    this.countBad(RUN_FILES.samples, result.bad);
    const steps = [...new Set(result.records.map((r) => r.step).filter((s) => typeof s === 'number'))];
    if (result.restarted) this.samples.forget();
    if (steps.length === 0) return;
    this.samples.noteAppended(steps as number[]);
    change.newSampleSteps = steps as number[];
  }
}

function rowsOf(records: Record<string, unknown>[]): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const record of records) {
    const row = toMetricRow(record);
    if (row) rows.push(row);
  }
  return rows;
}
