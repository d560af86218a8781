// The run store: discovers run directories under the roots, watches them with
// chokidar, and keeps one RunDirectory (summary + recent windows) per run.
// Every refresh goes through one RefreshQueue; listeners get one batch per pass.
import * as fs from 'fs';
import * as path from 'path';
import { FSWatcher, watch } from 'chokidar';
import { findRunDirs, locateInRoot } from './discovery';
import type { Disposable, MetricRow, RunChange, RunStore, RunSummary, SampleGroup } from './model';
import { RefreshQueue, RefreshWork } from './refreshQueue';
import { RunDirectory } from './runDirectory';
import { looksLikeRunDir } from './runFiles';
import { isActiveState } from './summary';

export interface StoreOptions {
  roots: () => string[];
  debounceMs?: number;
  livenessMs?: number;
  /** How soon a file that changed is looked at once more (missed watcher events). */
  recheckMs?: number;
  log?: (message: string) => void;
}

type Listener = (changes: RunChange[]) => void;

export class RunDirectoryStore implements RunStore, Disposable {
  private readonly dirs = new Map<string, RunDirectory>();
  private readonly listeners = new Set<Listener>();
  private readonly queue: RefreshQueue;
  private watcher: FSWatcher | undefined;
  private watchedRoots: string[] = [];
  private parentWatcher: FSWatcher | undefined;
  private watchedParents: string[] = [];

  constructor(private readonly options: StoreOptions) {
    this.queue = new RefreshQueue(
      (work) => this.process(work),
      options.debounceMs ?? 40,
      (err) => options.log?.(`refresh failed: ${String(err)}`),
    );
  }

  /** Finds the runs, reads their summaries and starts watching. */
  async start(): Promise<void> {
    this.queue.markRescan();
    await this.queue.flush();
  }

  onDidChange(listener: Listener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  runs(): RunSummary[] {
    return [...this.dirs.values()].map((d) => d.summary);
  }

  get(runId: string): RunSummary | undefined {
    return this.dirs.get(runId)?.summary;
  }

  recentMetrics(runId: string): MetricRow[] {
    return this.dirs.get(runId)?.recentMetrics ?? [];
  }

  /** The last few hundred events of a run (acknowledgements, checkpoints, warnings). */
  recentEvents(runId: string): Record<string, unknown>[] {
    return this.dirs.get(runId)?.recentEvents ?? [];
  }

  async readAllMetrics(runId: string, onRow: (row: MetricRow) => void): Promise<void> {
    await this.dirs.get(runId)?.readAllMetrics(onRow);
  }

  async sampleSteps(runId: string): Promise<number[]> {
    return (await this.dirs.get(runId)?.sampleSteps()) ?? [];
  }

  async samplesAt(runId: string, step: number): Promise<SampleGroup[]> {
    return (await this.dirs.get(runId)?.samplesAt(step)) ?? [];
  }

  async refresh(): Promise<void> {
    this.queue.markRescan();
    for (const dir of this.dirs.keys()) this.queue.markFile(dir, '*');
    await this.queue.flush();
  }

  /** Waits for pending file events to be processed (tests, commands that just wrote). */
  settle(): Promise<void> {
    return this.queue.flush();
  }

  dispose(): void {
    this.queue.dispose();
    void this.watcher?.close();
    void this.parentWatcher?.close();
    this.listeners.clear();
  }

  private async process(work: RefreshWork): Promise<void> {
    const changes: RunChange[] = [];
    if (work.rescan) changes.push(...(await this.rescan()));
    for (const [dir, files] of work.files) {
      const run = this.dirs.get(dir);
      const change = run && (await run.update(expand(files)));
      if (!change) continue;
      changes.push(change);
      for (const file of files) this.queue.recheckLater(dir, file, this.options.recheckMs ?? 150);
    }
    if (work.liveness) changes.push(...this.checkLiveness());
    this.queue.keepCheckingLiveness(this.options.livenessMs ?? 3000, () => this.anyActive());
    if (changes.length > 0) this.emit(mergeChanges(changes));
  }

  private async rescan(): Promise<RunChange[]> {
    const roots = this.options.roots().map((r) => path.resolve(r));
    await this.watch(roots);
    const found = new Set(await findRunDirs(roots));
    const changes: RunChange[] = [];
    for (const dir of [...this.dirs.keys()].filter((d) => !found.has(d))) {
      this.dirs.delete(dir);
      changes.push({ runId: dir, removed: true, summary: true });
    }
    for (const dir of [...found].filter((d) => !this.dirs.has(d))) {
      const run = new RunDirectory(dir);
      this.dirs.set(dir, run);
      changes.push(await run.open());
    }
    return changes;
  }

  private checkLiveness(): RunChange[] {
    const changes: RunChange[] = [];
    for (const run of this.dirs.values()) {
      const change = isActiveState(run.summary.state) ? run.checkLiveness() : undefined;
      if (change) changes.push(change);
    }
    return changes;
  }

  private anyActive(): boolean {
    return [...this.dirs.values()].some((d) => isActiveState(d.summary.state));
  }

  /** (Re)starts the watchers when the roots changed; resolves once they are watching. */
  private watch(roots: string[]): Promise<void> {
    const existing = roots.filter((r) => fs.existsSync(r));
    // A root that does not exist yet (runs/ before the first run): watch its parent for it.
    const parents = [
      ...new Set(roots.filter((r) => !existing.includes(r)).map((r) => path.dirname(r))),
    ].filter((p) => fs.existsSync(p));
    if (sameList(existing, this.watchedRoots) && sameList(parents, this.watchedParents))
      return Promise.resolve();
    void this.watcher?.close();
    void this.parentWatcher?.close();
    this.watchedRoots = existing;
    this.watchedParents = parents;
    this.watcher = this.startWatcher(existing, 2, (event, changed) => this.onFileEvent(event, changed));
    this.parentWatcher = this.startWatcher(parents, 0, (_event, changed) => {
      if (roots.includes(path.resolve(changed))) this.queue.markRescan();
    });
    return Promise.all([this.watcher, this.parentWatcher].map(ready)).then(() => undefined);
  }

  private startWatcher(
    paths: string[],
    depth: number,
    onEvent: (event: string, changed: string) => void,
  ): FSWatcher | undefined {
    if (paths.length === 0) return undefined;
    const watcher = watch(paths, { ignoreInitial: true, depth, ignorePermissionErrors: true });
    watcher.on('all', onEvent);
    watcher.on('error', (err) => this.options.log?.(`watcher: ${String(err)}`));
    return watcher;
  }

  private onFileEvent(event: string, changed: string): void {
    const runDirs = new Set(this.dirs.keys());
    for (const root of this.watchedRoots) {
      if (path.resolve(changed) === root) return this.queue.markRescan();
      const where = locateInRoot(root, changed, runDirs);
      if (!where) continue;
      if (!this.dirs.has(where.runDir)) return this.queue.markRescan();
      if (event === 'unlinkDir' && changed === where.runDir) return this.queue.markRescan();
      return this.queue.markFile(where.runDir, where.file);
    }
    if (event === 'addDir' || event === 'unlinkDir' || looksLikeRunDir([path.basename(changed)])) {
      this.queue.markRescan();
    }
  }

  private emit(changes: RunChange[]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(changes);
      } catch (err) {
        this.options.log?.(`run store listener failed: ${String(err)}`);
      }
    }
  }
}

const ALL_FILES = [
  'run.json',
  'status.json',
  'checkpoints',
  'events.jsonl',
  'metrics.jsonl',
  'samples.jsonl',
];

function expand(files: Set<string>): Set<string> {
  return files.has('*') ? new Set(ALL_FILES) : files;
}

/** One entry per run: later changes to the same run merged into the first. */
export function mergeChanges(changes: RunChange[]): RunChange[] {
  const byRun = new Map<string, RunChange>();
  for (const change of changes) {
    const seen = byRun.get(change.runId);
    byRun.set(change.runId, seen ? mergeTwo(seen, change) : change);
  }
  return [...byRun.values()];
}

function mergeTwo(a: RunChange, b: RunChange): RunChange {
  const superseded = [a.supersededFrom, b.supersededFrom].filter((s): s is number => s !== undefined);
  return {
    runId: a.runId,
    summary: a.summary || b.summary || undefined,
    newMetrics:
      a.newMetrics || b.newMetrics
        ? [
            ...(a.newMetrics ?? []).filter((r) => r.step < (b.supersededFrom ?? Infinity)),
            ...(b.newMetrics ?? []),
          ]
        : undefined,
    supersededFrom: superseded.length > 0 ? Math.min(...superseded) : undefined,
    newSampleSteps:
      a.newSampleSteps || b.newSampleSteps
        ? [...(a.newSampleSteps ?? []), ...(b.newSampleSteps ?? [])]
        : undefined,
    newEvents: a.newEvents || b.newEvents ? [...(a.newEvents ?? []), ...(b.newEvents ?? [])] : undefined,
    removed: a.removed || b.removed || undefined,
  };
}

function ready(watcher: FSWatcher | undefined): Promise<void> {
  return new Promise((resolve) => (watcher ? watcher.once('ready', () => resolve()) : resolve()));
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
