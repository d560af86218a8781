// The dashboard of one run: header and downsampled series on ready, live points as the
// run trains, windows on request (zoom), run control through the palette's commands.
import * as vscode from 'vscode';
import type { PanelState, RunControl, WebviewCommand } from '../contract/messages';
import type { RunChange, RunStore, SessionLease } from '../runs/model';
import { doctorFindings, toFindingView } from '../doctor/vscode/findingsHub';
import { toLivePoint } from './liveRows';
import { PanelHost } from './panelHost';
import { toRunHeader } from './runHeader';
import { clampWidth, readSeriesWindow, seriesFromRows } from './seriesWindow';

export const DASHBOARD_VIEW_TYPE = 'grpoLens.dashboard';
const DEFAULT_WIDTH = 800;

/** The palette commands the header buttons run (registered in src/commands/). */
export const CONTROL_COMMANDS: Record<RunControl, string> = {
  pause: 'grpoLens.pauseRun',
  resume: 'grpoLens.resumeRun',
  checkpoint: 'grpoLens.checkpointNow',
  stop: 'grpoLens.stopRun',
};

export function executeWebviewCommand(command: WebviewCommand): void {
  if (command.command === 'runControl') {
    void vscode.commands.executeCommand(CONTROL_COMMANDS[command.control], command.runId);
  } else if (command.command === 'inspectCompletion') {
    const { runId, step, group, index } = command;
    void vscode.commands.executeCommand('grpoLens.inspectCompletion', { runId, step, group, index });
  } else if (command.command === 'openSamples') {
    void vscode.commands.executeCommand('grpoLens.showSamples', command.runId, command.step);
  }
}

export class DashboardPanel implements vscode.Disposable {
  readonly host: PanelHost;
  private readonly subscription: vscode.Disposable;
  /** Keeps the run's session (recent window, followers) open while the panel is. */
  private readonly lease: SessionLease;
  private width = DEFAULT_WIDTH;
  /** The run doctor's findings, drawn as markers on the charts concerned. */
  private readonly findingsSubscription: { dispose(): void };
  /** The step Open Dashboard at Step asked for (sent again if the webview reloads). */
  private focus: number | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly store: RunStore,
    readonly runId: string,
    extensionUri: vscode.Uri,
  ) {
    this.host = new PanelHost(panel, {
      app: 'dashboard',
      title: panel.title,
      extensionUri,
      handlers: {
        seriesWindow: (p) => {
          this.width = clampWidth(p.width);
          return readSeriesWindow(store, p.runId, p.width, p.fromStep, p.toStep);
        },
      },
      onCommand: executeWebviewCommand,
      onReady: () => void this.sendInit(),
      onResync: () => void this.sendSeries(),
    });
    this.lease = store.hold(runId);
    this.subscription = store.onDidChange((changes) => this.onChanges(changes));
    this.findingsSubscription = doctorFindings.onDidChange((ids) => {
      if (ids.includes(runId)) this.sendFindings();
    });
  }

  /** Zooms the charts around a step (Open Dashboard at Step): now, or with the next init. */
  focusStep(step: number): void {
    this.focus = step;
    this.host.notify({ type: 'focusStep', runId: this.runId, step });
  }

  private sendFindings(): void {
    const findings = doctorFindings.get(this.runId).map(toFindingView);
    this.host.notify({ type: 'findings', runId: this.runId, findings });
  }

  private async sendInit(): Promise<void> {
    await this.lease.ready;
    const summary = this.store.get(this.runId);
    const header = summary ? toRunHeader(summary, this.store.recentMetrics(this.runId)) : undefined;
    this.host.notify({ type: 'init', app: 'dashboard', runId: this.runId, header });
    this.sendFindings();
    await this.sendSeries();
    if (this.focus !== undefined)
      this.host.notify({ type: 'focusStep', runId: this.runId, step: this.focus });
  }

  /**
   * The recent window the session holds is drawn at once; the whole history, streamed
   * from disk (seconds for a 200 MB event file), replaces it when it is read.
   */
  private async sendSeries(): Promise<void> {
    const recent = this.store.recentMetrics(this.runId);
    const summary = this.store.get(this.runId);
    if (recent.length > 0 && recent[0].step > 1 && summary && summary.step > recent[0].step)
      this.host.notify({ type: 'series', window: seriesFromRows(this.runId, recent, this.width) });
    this.host.notify({ type: 'series', window: await readSeriesWindow(this.store, this.runId, this.width) });
  }

  private onChanges(changes: RunChange[]): void {
    for (const change of changes) {
      if (change.runId !== this.runId) continue;
      if (change.newMetrics?.length || change.supersededFrom !== undefined) {
        const points = (change.newMetrics ?? []).map(toLivePoint);
        this.host.notify({
          type: 'append',
          runId: this.runId,
          points,
          supersededFrom: change.supersededFrom,
        });
      }
      const summary = this.store.get(this.runId);
      if (summary && (change.summary || change.newMetrics?.length)) {
        this.host.notify({
          type: 'header',
          header: toRunHeader(summary, this.store.recentMetrics(this.runId)),
        });
      }
    }
  }

  static state(runId: string): PanelState {
    return { runId };
  }

  dispose(): void {
    this.findingsSubscription.dispose();
    this.subscription.dispose();
    this.lease.dispose();
    this.host.dispose();
  }
}
