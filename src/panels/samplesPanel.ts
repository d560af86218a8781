// The grouped completions of one run: the steps that have samples, and one step's
// groups on request (texts cut for transport; the editor opens the full text).
import * as vscode from 'vscode';
import type { RunChange, RunStore, SessionLease } from '../runs/model';
import { doctorFindings, toFindingView } from '../doctor/vscode/findingsHub';
import { executeWebviewCommand } from './dashboardPanel';
import { PanelHost } from './panelHost';
import { toRunHeader } from './runHeader';
import { toGroupView } from './samplesView';

export const SAMPLES_VIEW_TYPE = 'grpoLens.samples';

export class SamplesPanel implements vscode.Disposable {
  readonly host: PanelHost;
  private readonly subscription: vscode.Disposable;
  /** Keeps the run's session (recent window, followers) open while the panel is. */
  private readonly lease: SessionLease;
  /** The run doctor's findings: their groups are the filter "Named by a finding". */
  private readonly findingsSubscription: { dispose(): void };

  constructor(
    panel: vscode.WebviewPanel,
    private readonly store: RunStore,
    readonly runId: string,
    extensionUri: vscode.Uri,
    private initialStep?: number,
  ) {
    this.host = new PanelHost(panel, {
      app: 'samples',
      title: panel.title,
      extensionUri,
      handlers: {
        sampleSteps: (p) => store.sampleSteps(p.runId),
        samplesAt: async (p) => ({
          runId: p.runId,
          step: p.step,
          groups: (await store.samplesAt(p.runId, p.step)).map(toGroupView),
        }),
      },
      onCommand: executeWebviewCommand,
      onReady: () => void this.sendInit(),
    });
    this.lease = store.hold(runId);
    this.subscription = store.onDidChange((changes) => this.onChanges(changes));
    this.findingsSubscription = doctorFindings.onDidChange((ids) => {
      if (ids.includes(runId)) this.sendFindings();
    });
  }

  private sendFindings(): void {
    const findings = doctorFindings.get(this.runId).map(toFindingView);
    this.host.notify({ type: 'findings', runId: this.runId, findings });
  }

  /** Shows a step (from a command): sent now, or with the next init. */
  showStep(step: number): void {
    this.initialStep = step;
    this.host.notify({ type: 'showStep', runId: this.runId, step });
  }

  private async sendInit(): Promise<void> {
    await this.lease.ready;
    const summary = this.store.get(this.runId);
    const header = summary ? toRunHeader(summary, this.store.recentMetrics(this.runId)) : undefined;
    this.host.notify({ type: 'init', app: 'samples', runId: this.runId, header, step: this.initialStep });
    this.sendFindings();
    this.host.notify({
      type: 'sampleSteps',
      runId: this.runId,
      steps: await this.store.sampleSteps(this.runId),
    });
  }

  private onChanges(changes: RunChange[]): void {
    for (const change of changes) {
      if (change.runId !== this.runId) continue;
      if (change.supersededFrom !== undefined) {
        // a resume rewrote history: send the whole list again
        void this.store
          .sampleSteps(this.runId)
          .then((steps) => this.host.notify({ type: 'sampleSteps', runId: this.runId, steps }));
      } else if (change.newSampleSteps?.length) {
        this.host.notify({
          type: 'sampleSteps',
          runId: this.runId,
          steps: change.newSampleSteps,
          append: true,
        });
      }
      const summary = this.store.get(this.runId);
      if (summary && change.summary) {
        this.host.notify({
          type: 'header',
          header: toRunHeader(summary, this.store.recentMetrics(this.runId)),
        });
      }
    }
  }

  dispose(): void {
    this.findingsSubscription.dispose();
    this.subscription.dispose();
    this.lease.dispose();
    this.host.dispose();
  }
}
