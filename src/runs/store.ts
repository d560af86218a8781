// The run store: an index of every run found under the roots (one RunReader each,
// holding a cheap summary), and a pool of sessions for the runs a panel or command
// has open. chokidar watches the roots; every refresh goes through one
// RefreshQueue, and listeners get one batch of changes per pass.
import * as fs from 'fs';
import * as path from 'path';
import { FSWatcher, watch } from 'chokidar';
import { findRuns, runsWatching, ScanRoot } from './discovery';
import type { Disposable, MetricRow, RunChange, RunStore, RunSummary, SampleGroup } from './model';
import { RefreshQueue, RefreshWork } from './refreshQueue';
import { SessionLease, SessionPool } from './sessions';
import type { FoundRun, RunReader } from './sources/source';
import { SOURCES, FALLBACK_SOURCES } from './sources/registry';
import { isActiveState } from './summary';
import { mergeChanges } from './changes';

export interface StoreOptions {
  /** Where runs are looked for; a plain path means "its subfolders (or itself) are runs". */
  roots: () => Array<ScanRoot | string>;
  /** files.exclude and the like. */
  isExcluded?: (absolutePath: string) => boolean;
  debounceMs?: number;
  livenessMs?: number;
  /** How soon a file that changed is looked at once more (missed watcher events). */
  recheckMs?: number;
  /** How long a session nothing holds stays open. */
  sessionLingerMs?: number;
  log?: (message: string) => void;
}

type Listener = (changes: RunChange[]) => void;

/** The workspace walk for new runs runs at most this often while files keep appearing. */
const RESCAN_EVERY_MS = 1000;

/** How many new runs are read at once when the store starts. */
const OPEN_AT_ONCE = 8;

/** Files below a run's folder that the watcher still reports (TRL's runs/<date>/events…). */
const DEPTH_BELOW_RUN = 2;

export class RunIndexStore implements RunStore, Disposable {
  private readonly found = new Map<string, FoundRun>();
  private readonly readers = new Map<string, RunReader>();
  private readonly sessions: SessionPool;
  private readonly listeners = new Set<Listener>();
  private readonly queue: RefreshQueue;
  private watcher: FSWatcher | undefined;
  private watchedRoots: string[] = [];
  private parentWatcher: FSWatcher | undefined;
  private watchedParents: string[] = [];
  private lastRescanAt = 0;
  /** How many times the roots were walked for runs (tests). */
  walks = 0;
  private rescanTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StoreOptions) {
    this.sessions = new SessionPool(options.sessionLingerMs);
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
    return [...this.readers.values()].map((r) => r.summary);
  }

  get(runId: string): RunSummary | undefined {
    return this.readers.get(runId)?.summary;
  }

  hold(runId: string): SessionLease {
    const reader = this.readers.get(runId);
    if (!reader) return { ready: Promise.resolve(), dispose: () => undefined };
    return this.sessions.hold(runId, reader);
  }

  /** How many runs have a session open (tests, benchmarks). */
  openSessions(): number {
    return this.sessions.openCount();
  }

  recentMetrics(runId: string): MetricRow[] {
    return this.sessions.get(runId)?.recentMetrics() ?? [];
  }

  /** The last few hundred events of a run with an open session (acknowledgements, checkpoints, warnings). */
  recentEvents(runId: string): Record<string, unknown>[] {
    return this.sessions.get(runId)?.recentEvents() ?? [];
  }

  async readAllMetrics(runId: string, onRow: (row: MetricRow) => void): Promise<void> {
    await (await this.session(runId))?.readAllMetrics(onRow);
  }

  /**
   * Streams a run's current rows like readAllMetrics, without opening (or keeping) a session
   * unless one is open already: the runs table's one-time stats pass over hundreds of runs.
   */
  async streamMetrics(runId: string, onRow: (row: MetricRow) => void): Promise<void> {
    const reader = this.readers.get(runId);
    if (!reader) return;
    const open = this.sessions.get(runId);
    if (open) return open.readAllMetrics(onRow);
    const session = reader.openSession();
    try {
      await session.readAllMetrics(onRow);
    } finally {
      session.dispose();
    }
  }

  async sampleSteps(runId: string): Promise<number[]> {
    return (await (await this.session(runId))?.sampleSteps()) ?? [];
  }

  async samplesAt(runId: string, step: number): Promise<SampleGroup[]> {
    return (await (await this.session(runId))?.samplesAt(step)) ?? [];
  }

  async refresh(): Promise<void> {
    this.queue.markRescan();
    for (const id of this.readers.keys()) this.queue.markFile(id, '*');
    await this.queue.flush();
  }

  /** Waits for pending file events to be processed (tests, commands that just wrote). */
  settle(): Promise<void> {
    return this.queue.flush();
  }

  dispose(): void {
    clearTimeout(this.rescanTimer);
    this.queue.dispose();
    this.sessions.dispose();
    for (const reader of this.readers.values()) reader.dispose();
    void this.watcher?.close();
    void this.parentWatcher?.close();
    this.listeners.clear();
  }

  private session(runId: string) {
    const reader = this.readers.get(runId);
    return reader ? this.sessions.use(runId, reader) : Promise.resolve(undefined);
  }

  private async process(work: RefreshWork): Promise<void> {
    const changes: RunChange[] = [];
    if (work.rescan) changes.push(...(await this.rescan()));
    for (const [runId, files] of work.files) {
      const change = await this.updateRun(runId, files.has('*') ? [] : [...files]);
      if (!change) continue;
      changes.push(change);
      for (const file of files) this.queue.recheckLater(runId, file, this.options.recheckMs ?? 150);
    }
    if (work.liveness) changes.push(...(await this.checkActiveRuns()));
    this.queue.keepCheckingLiveness(this.options.livenessMs ?? 3000, () => this.anyActive());
    if (changes.length > 0) this.emit(mergeChanges(changes));
  }

  private async updateRun(runId: string, changed: string[]): Promise<RunChange | undefined> {
    const reader = this.readers.get(runId);
    if (!reader) return undefined;
    const index = await reader.update(changed);
    const session = await this.sessions.update(runId, changed);
    const change: RunChange = { runId, summary: index.summary, newEvents: index.newEvents, ...session };
    const seen = change.summary || change.newEvents?.length || change.newMetrics?.length;
    return seen || change.newSampleSteps?.length || change.supersededFrom !== undefined ? change : undefined;
  }

  private async rescan(): Promise<RunChange[]> {
    this.lastRescanAt = Date.now();
    this.walks++;
    const roots = this.options.roots().map(toScanRoot);
    // The watcher starts before the walk reads anything, so nothing written meanwhile is missed;
    // its first scan of the tree and the walk run side by side.
    const [, found] = await Promise.all([
      this.watch(roots),
      findRuns(roots, { isExcluded: this.options.isExcluded, sources: SOURCES, fallbacks: FALLBACK_SOURCES }),
    ]);
    const ids = new Set(found.map((r) => r.id));
    const changes: RunChange[] = [];
    for (const id of [...this.readers.keys()].filter((id) => !ids.has(id))) {
      this.forget(id);
      changes.push({ runId: id, removed: true, summary: true });
    }
    // New runs are read a few at a time: a source may wait on a subprocess (Trackio) or the disk.
    const fresh = found.filter((r) => !this.readers.has(r.id));
    for (let i = 0; i < fresh.length; i += OPEN_AT_ONCE) {
      changes.push(...(await Promise.all(fresh.slice(i, i + OPEN_AT_ONCE).map((run) => this.add(run)))));
    }
    return changes;
  }

  private async add(run: FoundRun): Promise<RunChange> {
    const source = [...SOURCES, ...FALLBACK_SOURCES].find((s) => s.kind === run.source);
    const reader = source!.open(run);
    this.found.set(run.id, run);
    this.readers.set(run.id, reader);
    await reader.open();
    return { runId: run.id, summary: true };
  }

  private forget(runId: string): void {
    this.sessions.close(runId);
    this.readers.get(runId)?.dispose();
    this.readers.delete(runId);
    this.found.delete(runId);
  }

  /** Active runs are looked at every few seconds: a process may die without a word, a foreign run go quiet. */
  private async checkActiveRuns(): Promise<RunChange[]> {
    const changes: RunChange[] = [];
    for (const [runId, reader] of this.readers) {
      if (!isActiveState(reader.summary.state)) continue;
      const foreign = reader.summary.source !== 'grpo-lens';
      const change = foreign ? await this.updateRun(runId, []) : undefined;
      if (change) changes.push(change);
      else if (await reader.tick()) changes.push({ runId, summary: true });
    }
    return changes;
  }

  private anyActive(): boolean {
    return [...this.readers.values()].some((r) => isActiveState(r.summary.state));
  }

  /** (Re)starts the watchers when the roots changed; resolves once they are watching. */
  private watch(roots: ScanRoot[]): Promise<void> {
    const existing = roots.filter((r) => fs.existsSync(r.path));
    const existingPaths = existing.map((r) => r.path);
    // A root that does not exist yet (runs/ before the first run): watch its parent for it.
    const parents = [
      ...new Set(roots.filter((r) => !existingPaths.includes(r.path)).map((r) => path.dirname(r.path))),
    ].filter((p) => fs.existsSync(p));
    if (sameList(existingPaths, this.watchedRoots) && sameList(parents, this.watchedParents))
      return Promise.resolve();
    void this.watcher?.close();
    void this.parentWatcher?.close();
    this.watchedRoots = existingPaths;
    this.watchedParents = parents;
    const depth = Math.max(0, ...existing.map((r) => r.depth)) + DEPTH_BELOW_RUN;
    this.watcher = this.startWatcher(existingPaths, depth, (event, changed) =>
      this.onFileEvent(event, changed),
    );
    const rootPaths = roots.map((r) => r.path);
    this.parentWatcher = this.startWatcher(parents, 0, (_event, changed) => {
      if (rootPaths.includes(path.resolve(changed))) this.queue.markRescan();
    });
    return Promise.all([this.watcher, this.parentWatcher].map(ready)).then(() => undefined);
  }

  private startWatcher(
    paths: string[],
    depth: number,
    onEvent: (event: string, changed: string) => void,
  ): FSWatcher | undefined {
    if (paths.length === 0) return undefined;
    const watcher = watch(paths, {
      ignoreInitial: true,
      depth,
      ignorePermissionErrors: true,
      ignored: (p: string) => this.isIgnored(p),
    });
    watcher.on('all', onEvent);
    watcher.on('error', (err) => this.options.log?.(`watcher: ${String(err)}`));
    return watcher;
  }

  private isIgnored(p: string): boolean {
    const name = path.basename(p);
    if (name === 'node_modules' || name === '.git' || name === '__pycache__') return true;
    return this.options.isExcluded?.(path.resolve(p)) ?? false;
  }

  private onFileEvent(event: string, changed: string): void {
    const owners = runsWatching(this.found.values(), changed);
    for (const run of owners) this.queue.markFile(run.id, path.resolve(changed));
    const structural = event === 'addDir' || event === 'unlinkDir' || event === 'add' || event === 'unlink';
    // A new folder or file may be a new run (or a run's folder may have gone).
    if (structural && (owners.length === 0 || owners.some((r) => r.dir === path.resolve(changed)))) {
      this.rescanSoon();
    }
  }

  /**
   * A file appearing anywhere in the workspace may be a new run, but a build or a checkout
   * adds thousands: the walk runs at most once per RESCAN_EVERY_MS, the last one after the burst.
   */
  private rescanSoon(): void {
    if (this.rescanTimer) return;
    const wait = Math.max(0, this.lastRescanAt + RESCAN_EVERY_MS - Date.now());
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      this.queue.markRescan();
    }, wait);
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

function toScanRoot(root: ScanRoot | string): ScanRoot {
  return typeof root === 'string'
    ? { path: path.resolve(root), depth: 1 }
    : { ...root, path: path.resolve(root.path) };
}

function ready(watcher: FSWatcher | undefined): Promise<void> {
  return new Promise((resolve) => (watcher ? watcher.once('ready', () => resolve()) : resolve()));
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
