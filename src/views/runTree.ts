// The Runs tree: one item per run (newest first), its checkpoints as children.
import * as vscode from 'vscode';
import type { LazyRunStore } from '../runs/lazyStore';
import type { CheckpointInfo, RunSummary } from '../runs/model';
import { checkpointTreeItem, runTreeItem } from './runItem';

export type RunNode =
  { kind: 'run'; runId: string } | { kind: 'checkpoint'; runId: string; checkpoint: CheckpointInfo };

export class RunTreeProvider implements vscode.TreeDataProvider<RunNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly runNodes = new Map<string, RunNode>();
  private subscription: { dispose(): void } | undefined;

  constructor(private readonly runs: LazyRunStore) {
    void runs.whenReady().then((store) => {
      this.subscription = store.onDidChange((changes) => {
        if (changes.some((c) => c.summary || c.removed)) this.changed.fire(undefined);
      });
      this.changed.fire(undefined);
    });
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
    if (node.kind !== 'run') return [];
    const run = store.get(node.runId);
    return (run?.checkpoints ?? [])
      .slice()
      .reverse()
      .map((checkpoint) => ({ kind: 'checkpoint', runId: node.runId, checkpoint }));
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    const run = this.runs.get()?.get(node.runId);
    if (!run) return new vscode.TreeItem(node.runId);
    return node.kind === 'run' ? runTreeItem(run) : checkpointTreeItem(run, node.checkpoint);
  }

  getParent(node: RunNode): RunNode | undefined {
    return node.kind === 'checkpoint' ? this.runNode(node.runId) : undefined;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}

function newestFirst(a: RunSummary, b: RunSummary): number {
  return (b.startedAt ?? 0) - (a.startedAt ?? 0) || b.dir.localeCompare(a.dir);
}
