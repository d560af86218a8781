// Runs the queue inside the extension host: starts pending entries (up to
// grpoLens.queue.maxParallel), notes how their runs end, and saves every change to the
// queue file. After a reload or a restart of VS Code the next activation loads the file
// and carries on (docs/queue.md says why there is no separate scheduler process).
import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/deps';
import { loadQueue, saveQueue } from './queueFile';
import {
  entriesToStart,
  markFailed,
  markLaunched,
  markStarted,
  noteRuns,
  type QueueEntry,
  type QueueState,
} from './state';
import { observeEntry, runDirFor, startQueuedEntry, type StartOutcome } from './startEntry';

/** How often ended or never-started runs are looked for besides the store's changes. */
const CHECK_EVERY_MS = 5_000;

export class QueueRunner implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private ticking: Promise<void> = Promise.resolve();
  private tickAgain = false;
  private state: QueueState;

  constructor(
    readonly file: string,
    private readonly deps: CommandDeps,
    private readonly start = startQueuedEntry,
  ) {
    const loaded = loadQueue(file);
    this.state = loaded.state;
    if (loaded.problem) void vscode.window.showWarningMessage(`GRPO Lens queue: ${loaded.problem}.`);
    const timer = setInterval(() => this.tick(), CHECK_EVERY_MS);
    this.disposables.push(
      { dispose: () => clearInterval(timer) },
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.tick()),
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('grpoLens.queue') && this.tick(),
      ),
    );
    void deps.runs.whenReady().then((store) => {
      this.disposables.push(store.onDidChange(() => this.tick()));
      this.tick();
    });
  }

  entries(): readonly QueueEntry[] {
    return this.state.entries;
  }

  /** Applies a change to the queue as saved (another window may have changed it), saves, and moves on. */
  change(edit: (state: QueueState) => QueueState): void {
    const loaded = loadQueue(this.file);
    if (loaded.problem) this.deps.log.warn(`queue: ${loaded.problem}; carrying on with the queue as shown`);
    this.state = edit(loaded.problem ? this.state : loaded.state);
    saveQueue(this.file, this.state);
    this.changed.fire();
    this.tick();
  }

  /** Checks the queue once the previous check is done; a check asked for meanwhile runs after it. */
  tick(): void {
    if (this.tickAgain) return;
    this.tickAgain = true;
    this.ticking = this.ticking.then(() => {
      this.tickAgain = false;
      return this.checkOnce();
    });
  }

  /** Resolves when every check asked for so far is done (tests). */
  settled(): Promise<void> {
    return this.ticking;
  }

  private async checkOnce(): Promise<void> {
    const store = this.deps.runs.get();
    if (!store) return;
    const now = Date.now();
    const observe = (entry: QueueEntry) => observeEntry(entry, (dir) => store.get(dir));
    if (noteRuns(this.state, observe, now) !== this.state) this.change((s) => noteRuns(s, observe, now));
    // Nothing is spawned from workspace files in an untrusted workspace: the queue waits.
    if (!vscode.workspace.isTrusted) return;
    const max = vscode.workspace.getConfiguration('grpoLens.queue').get<number>('maxParallel', 1);
    for (const entry of entriesToStart(this.state, max)) await this.startOne(entry);
  }

  private async startOne(entry: QueueEntry): Promise<void> {
    const runDir = runDirFor(entry);
    this.change((s) => markStarted(s, entry.id, runDir, Date.now()));
    let outcome: StartOutcome;
    try {
      outcome = await this.start(this.deps, entry, runDir);
    } catch (err) {
      outcome = { why: err instanceof Error ? err.message : String(err) };
    }
    if ('why' in outcome) {
      const { why } = outcome;
      this.deps.log.info(`queue: ${entry.name} failed at start: ${why}`);
      this.change((s) => markFailed(s, entry.id, why, Date.now()));
      return;
    }
    const { runDir: dir, sidecar } = outcome;
    this.deps.log.info(`queue: ${entry.name} started in ${dir}${sidecar ? ` (launch ${sidecar})` : ''}`);
    if (dir !== runDir || sidecar) this.change((s) => markLaunched(s, entry.id, dir, sidecar));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
