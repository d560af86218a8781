// Tells the user when a run they watched finish or fail, with buttons to look at it.
import * as vscode from 'vscode';
import { visibleText } from '../contract/visibleText';
import type { RunChange, RunState, RunSummary } from '../runs/model';
import { runLabel } from './runItem';

/** Runs started from this window: their end is worth a notification even if never seen running. */
const expected = new Set<string>();

export function expectRunEnd(runDir: string): void {
  expected.add(runDir);
}

export class RunEndNotifier {
  private readonly lastState = new Map<string, RunState>();

  /** Remember states without notifying (the first scan). */
  remember(runs: RunSummary[]): void {
    for (const run of runs) this.lastState.set(run.id, run.state);
  }

  noteChanges(changes: RunChange[], get: (id: string) => RunSummary | undefined): void {
    for (const change of changes) {
      const run = get(change.runId);
      if (!run) continue;
      const before = this.lastState.get(run.id);
      this.lastState.set(run.id, run.state);
      if (before === run.state || (before === undefined && !expected.has(run.id))) continue;
      if (run.state === 'finished' || run.state === 'failed') void this.notify(run);
    }
  }

  private async notify(run: RunSummary): Promise<void> {
    const message = runEndMessage(run);
    const show =
      run.state === 'finished' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    const choice = await show(message, 'Open Log', 'Open Dashboard');
    if (choice === 'Open Log') await vscode.commands.executeCommand('grpoLens.showLog', { runId: run.id });
    if (choice === 'Open Dashboard')
      await vscode.commands.executeCommand('grpoLens.openDashboard', { runId: run.id });
  }
}

/** What the notification says when a run ends: its name, and for a failure the reason. */
export function runEndMessage(run: RunSummary): string {
  const name = runLabel(run);
  return run.state === 'finished'
    ? `GRPO run ${name} finished at step ${run.step}.`
    : `GRPO run ${name} failed${run.error ? `: ${visibleText(run.error)}` : '.'}`;
}
