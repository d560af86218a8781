// Notifies the user of a run's `non-finite` or `stalled` error once per run (and kind),
// remembered in workspaceState so a reload does not say it again; "Open Dashboard" goes
// to the step, "Pause" is offered only for a run GRPO Lens controls and that is running.
import * as vscode from 'vscode';
import { visibleText } from '../../contract/visibleText';
import type { RunStore } from '../../runs/model';
import { runLabel } from '../../views/runLabel';
import type { Finding } from '../finding';
import type { FindingsHub } from './findingsHub';
import { findingStep, OPEN_AT_STEP_COMMAND } from './findingItems';
import { findingsToNotify, notificationButtons, notifiedKey, remember } from './notifyPolicy';

export const NOTIFIED_STATE_KEY = 'grpoLens.doctor.notified';

export class FindingNotifier implements vscode.Disposable {
  private readonly subscription: { dispose(): void };
  /** How many notifications were shown (host tests). */
  shown: string[] = [];

  constructor(
    private readonly hub: FindingsHub,
    private readonly state: vscode.Memento,
    private readonly store: () => RunStore | undefined,
  ) {
    this.subscription = hub.onDidChange((runIds) => runIds.forEach((id) => this.consider(id)));
  }

  private consider(runId: string): void {
    const notified = new Set(this.state.get<string[]>(NOTIFIED_STATE_KEY, []));
    const due = findingsToNotify(runId, this.hub.get(runId), notified);
    if (due.length === 0) return;
    const keys = due.map((f) => notifiedKey(runId, f.id));
    void this.state.update(NOTIFIED_STATE_KEY, remember([...notified], keys));
    for (const finding of due) void this.notify(runId, finding);
  }

  private async notify(runId: string, finding: Finding): Promise<void> {
    const run = this.store()?.get(runId);
    const name = run ? runLabel(run) : runId;
    this.shown.push(notifiedKey(runId, finding.id));
    const buttons = notificationButtons(run);
    const choice = await vscode.window.showErrorMessage(
      `GRPO run ${visibleText(name)}: ${visibleText(finding.message)}`,
      ...buttons,
    );
    if (choice === 'Open Dashboard')
      await vscode.commands.executeCommand(OPEN_AT_STEP_COMMAND, { runId, step: findingStep(finding) });
    if (choice === 'Pause') await vscode.commands.executeCommand('grpoLens.pauseRun', runId);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
