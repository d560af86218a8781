// Notifies the user of a run's `non-finite` or `stalled` error once per run,
// remembered in workspaceState so a reload does not say it again; "Open Dashboard" goes
// to the step, "Pause" is offered only for a run GRPO Lens controls and that is running.
import * as vscode from 'vscode';
import { visibleText } from '../../contract/visibleText';
import type { RunStore } from '../../runs/model';
import { runLabel } from '../../views/runLabel';
import type { Finding } from '../finding';
import type { FindingsHub } from './findingsHub';
import { findingStep, OPEN_AT_STEP_COMMAND } from './findingItems';
import { findingToNotify, notificationButtons, notifiedKey, remember } from './notifyPolicy';

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
    const due = findingToNotify(runId, this.hub.get(runId), notified);
    if (!due) return;
    void this.state.update(NOTIFIED_STATE_KEY, remember([...notified], [notifiedKey(runId)]));
    void this.notify(runId, due);
  }

  private async notify(runId: string, finding: Finding): Promise<void> {
    const run = this.store()?.get(runId);
    const name = run ? runLabel(run) : runId;
    this.shown.push(`${finding.id}@${runId}`);
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
