// Our own run directory (format grpo-lens/1, docs/run-format.md) as a source: the
// index holds a RunDirectory in INDEX_MODE (summary, lifecycle events), a session
// one in SESSION_MODE (recent window, samples).
import { withLaunch } from '../../../launch/linkedSummary';
import * as path from 'path';
import { INDEX_MODE, RunDirectory, SESSION_MODE } from '../../runDirectory';
import type { MetricRow, RunSummary, SampleGroup } from '../../model';
import type { FoundRun, IndexChange, RunReader, RunSession, RunSource, SessionChange } from '../source';
import { FOLLOWED_FILES, looksLikeRunDir } from './files';

export const grpoLensSource: RunSource = {
  kind: 'grpo-lens',
  label: 'GRPO Lens',
  find(dir: string, entries: string[]): Promise<FoundRun[]> {
    if (!looksLikeRunDir(entries)) return Promise.resolve([]);
    const run = { id: dir, dir, source: 'grpo-lens' as const, name: path.basename(dir), watch: [dir] };
    return Promise.resolve([run]);
  },
  open(run: FoundRun): RunReader {
    return new GrpoLensRun(run.dir);
  },
};

/** The names of the run's own files that changed ([] = all of them). */
export function changedFiles(dir: string, changed: string[]): Set<string> {
  if (changed.length === 0) return new Set(FOLLOWED_FILES);
  const names = new Set<string>();
  for (const file of changed) {
    const first = path.relative(dir, file).split(path.sep)[0];
    if (!first || first === '..') return new Set(FOLLOWED_FILES);
    names.add(first);
  }
  return names;
}

class GrpoLensRun implements RunReader {
  private readonly index: RunDirectory;

  constructor(private readonly dir: string) {
    this.index = new RunDirectory(dir, INDEX_MODE);
  }

  get summary(): RunSummary {
    // A run submitted as a Slurm job takes the job's state: queued, suspended.
    return withLaunch(this.index.summary, 'slurm');
  }

  async open(): Promise<void> {
    await this.index.open();
  }

  async update(changed: string[]): Promise<IndexChange> {
    const change = await this.index.update(changedFiles(this.dir, changed));
    return { summary: change?.summary, newEvents: change?.newEvents };
  }

  async tick(): Promise<boolean> {
    const before = this.summary.state;
    const changed = (await this.index.checkLiveness())?.summary === true;
    return changed || this.summary.state !== before;
  }

  openSession(): RunSession {
    return new GrpoLensSession(this.dir);
  }

  dispose(): void {}
}

class GrpoLensSession implements RunSession {
  private readonly run: RunDirectory;

  constructor(private readonly dir: string) {
    this.run = new RunDirectory(dir, SESSION_MODE);
  }

  async open(): Promise<void> {
    await this.run.open();
  }

  async update(changed: string[]): Promise<SessionChange> {
    const change = await this.run.update(changedFiles(this.dir, changed));
    return {
      newMetrics: change?.newMetrics,
      supersededFrom: change?.supersededFrom,
      newSampleSteps: change?.newSampleSteps,
    };
  }

  recentMetrics(): MetricRow[] {
    return this.run.recentMetrics;
  }

  recentEvents(): Record<string, unknown>[] {
    return this.run.recentEvents;
  }

  readAllMetrics(onRow: (row: MetricRow) => void): Promise<void> {
    return this.run.readAllMetrics(onRow);
  }

  sampleSteps(): Promise<number[]> {
    return this.run.sampleSteps();
  }

  samplesAt(step: number): Promise<SampleGroup[]> {
    return this.run.samplesAt(step);
  }

  dispose(): void {}
}
