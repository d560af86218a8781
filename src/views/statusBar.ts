// The status-bar item of the focused run: state, step/total and reward; a click
// opens its dashboard.
import * as vscode from 'vscode';
import type { RunSummary } from '../runs/model';
import { formatNumber, runLabel } from './runItem';

const STATE_ICONS: Record<string, string> = {
  running: 'sync~spin',
  checkpointing: 'sync~spin',
  starting: 'loading~spin',
  stopping: 'loading~spin',
  paused: 'debug-pause',
  finished: 'pass',
  failed: 'error',
  stopped: 'debug-stop',
  stale: 'warning',
};

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'grpoLens.run',
    vscode.StatusBarAlignment.Left,
    50,
  );

  constructor() {
    this.item.name = 'GRPO Lens Run';
  }

  show(run: RunSummary | undefined): void {
    if (!run) return this.item.hide();
    const step = run.totalSteps ? `${run.step}/${run.totalSteps}` : `step ${run.step}`;
    const reward = run.latestReward !== undefined ? ` · r ${formatNumber(run.latestReward)}` : '';
    this.item.text = `$(${STATE_ICONS[run.state] ?? 'question'}) ${runLabel(run)} ${step}${reward}`;
    this.item.tooltip = `GRPO run ${runLabel(run)}: ${run.state}. Click to open its dashboard.`;
    this.item.command = {
      title: 'Open Dashboard',
      command: 'grpoLens.openDashboard',
      arguments: [{ runId: run.id }],
    };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
