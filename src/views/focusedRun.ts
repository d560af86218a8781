// Which run the status bar follows: the one selected in the tree, else the run
// that changed most recently while active.
import * as vscode from 'vscode';
import type { RunChange, RunSummary } from '../runs/model';
import { isActiveState } from '../runs/summary';

export class FocusedRun implements vscode.Disposable {
  private selected: string | undefined;
  private lastActive: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  select(runId: string | undefined): void {
    this.selected = runId;
    this.changed.fire();
  }

  noteChanges(changes: RunChange[], get: (id: string) => RunSummary | undefined): void {
    for (const change of changes) {
      const run = get(change.runId);
      if (run && isActiveState(run.state)) this.lastActive = run.id;
      if (change.removed && this.selected === change.runId) this.selected = undefined;
    }
    this.changed.fire();
  }

  current(get: (id: string) => RunSummary | undefined, runs: () => RunSummary[]): RunSummary | undefined {
    const chosen = (this.selected && get(this.selected)) || (this.lastActive && get(this.lastActive));
    return chosen || runs().find((r) => isActiveState(r.state));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
