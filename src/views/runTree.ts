// The Runs tree: one item per run (newest first), its checkpoints as children.
import * as vscode from 'vscode';
import type { LazyRunStore } from '../runs/lazyStore';
import type { CheckpointInfo, RunChange, RunSummary } from '../runs/model';
import type { RunNotesIndex } from '../runs/notesIndex';
import { checkpointTreeItem, runTreeItem } from './runItem';
import type { Finding } from '../doctor/finding';
import { findingTreeItem, problemsTreeItem } from '../doctor/vscode/findingItems';

export type RunNode =
  | { kind: 'run'; runId: string }
  | { kind: 'checkpoint'; runId: string; checkpoint: CheckpointInfo }
  /** The run doctor's findings of a run (src/doctor/vscode/). */
  | { kind: 'problems'; runId: string }
  | { kind: 'finding'; runId: string; finding: Finding; index: number };

export class RunTreeProvider implements vscode.TreeDataProvider<RunNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly runNodes = new Map<string, RunNode>();
  private subscription: { dispose(): void } | undefined;

  private pending: Set<string> | 'all' = new Set();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly shownCheckpoints = new Map<string, number>();
  /** The run doctor's findings per run; set by the doctor's registration. */
  findings: (runId: string) => Finding[] = () => [];
  private notes: RunNotesIndex | undefined;

  constructor(
    private readonly runs: LazyRunStore,
    private readonly redrawMs = 300,
  ) {
    void runs.whenReady().then((store) => {
      this.subscription = store.onDidChange((changes) => this.noteChanges(changes));
      this.changed.fire(undefined);
    });
  }

  /**
   * Redraws only the runs that changed: at once after a quiet spell (so the tree keeps
   * up with the dashboard), then at most every redrawMs while a live run changes several
   * times a second (redrawing a row closes its open hover and flickers).
   */
  private noteChanges(changes: RunChange[]): void {
    for (const change of changes.filter((c) => c.summary || c.removed)) {
      const run = this.runs.get()?.get(change.runId);
      // Only a run that appeared or went changes the root list; a shown run's own refresh
      // also refetches its checkpoints (and its collapsible state).
      const known = run !== undefined && this.shownCheckpoints.has(change.runId);
      if (change.removed || !known) this.pending = 'all';
      else if (this.pending !== 'all') this.pending.add(change.runId);
    }
    if (this.pending !== 'all' && this.pending.size === 0) return;
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastRedraw + this.redrawMs - Date.now());
    this.flushTimer = setTimeout(() => this.redraw(), wait);
  }

  private lastRedraw = 0;

  /** The doctor's findings of these runs changed: redraw them (and their Problems child). */
  findingsChanged(runIds: string[]): void {
    this.noteChanges(runIds.map((runId) => ({ runId, summary: true })));
  }

  private redraw(): void {
    this.flushTimer = undefined;
    this.lastRedraw = Date.now();
    const pending = this.pending;
    this.pending = new Set();
    if (pending === 'all') return this.changed.fire(undefined);
    for (const runId of pending) this.changed.fire(this.runNode(runId));
  }

  /** Shows each run's tags and note (src/runs/notesIndex.ts); a run is redrawn when they change. */
  showNotes(notes: RunNotesIndex): vscode.Disposable {
    this.notes = notes;
    const subscription = notes.onDidChange((ids) =>
      this.noteChanges(ids.map((runId) => ({ runId, summary: true }))),
    );
    this.changed.fire(undefined);
    return subscription;
  }

  /** The node of a run, the same object every time (so that reveal() finds it). */
  runNode(runId: string): RunNode {
    let node = this.runNodes.get(runId);
    if (!node) {
      node = { kind: 'run', runId };
      this.runNodes.set(runId, node);
    }
    return node;
  }

  async getChildren(node?: RunNode): Promise<RunNode[]> {
    const store = await this.runs.whenReady();
    if (!node)
      return store
        .runs()
        .sort(newestFirst)
        .map((r) => this.runNode(r.id));
    if (node.kind === 'problems')
      return this.findings(node.runId).map((finding, index) => ({
        kind: 'finding',
        runId: node.runId,
        finding,
        index,
      }));
    if (node.kind !== 'run') return [];
    const run = store.get(node.runId);
    const problems: RunNode[] =
      this.findings(node.runId).length > 0 ? [{ kind: 'problems', runId: node.runId }] : [];
    return problems.concat(
      (run?.checkpoints ?? [])
        .slice()
        .reverse()
        .map((checkpoint) => ({ kind: 'checkpoint', runId: node.runId, checkpoint })),
    );
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    const run = this.runs.get()?.get(node.runId);
    if (!run) return new vscode.TreeItem(node.runId);
    if (node.kind === 'problems') return problemsTreeItem(run.id, this.findings(run.id));
    if (node.kind === 'finding') return findingTreeItem(run.id, node.finding, node.index);
    if (node.kind === 'checkpoint') return checkpointTreeItem(run, node.checkpoint);
    this.shownCheckpoints.set(run.id, run.checkpoints.length);
    void this.notes?.ensure(run);
    const item = runTreeItem(run, this.notes?.get(run.id));
    if (this.findings(run.id).length > 0) item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    return item;
  }

  getParent(node: RunNode): RunNode | undefined {
    if (node.kind === 'finding') return { kind: 'problems', runId: node.runId };
    return node.kind === 'run' ? undefined : this.runNode(node.runId);
  }

  dispose(): void {
    this.subscription?.dispose();
    clearTimeout(this.flushTimer);
    this.changed.dispose();
  }
}

function newestFirst(a: RunSummary, b: RunSummary): number {
  return (b.startedAt ?? 0) - (a.startedAt ?? 0) || b.dir.localeCompare(a.dir);
}
