// Samples of two runs side by side: at a chosen step (or the nearest each run logged),
// the groups whose prompt both runs were given, matched by prompt text.
import * as vscode from 'vscode';
import type { CompareCommand, SideBySide } from '../contract/messages';
import type { RunChange, RunStore, SessionLease } from '../runs/model';
import { PanelHost } from '../panels/panelHost';
import { compareRunInfos } from './runInfo';
import { sideBySideAt } from './sideBySide';

export const SIDE_BY_SIDE_VIEW_TYPE = 'grpoLens.samplesSideBySide';

export class SideBySidePanel implements vscode.Disposable {
  readonly host: PanelHost;
  private readonly leases: SessionLease[];
  private readonly subscription: vscode.Disposable;
  /** What the webview was last sent (host tests read it). */
  lastShown?: SideBySide;
  private disposed = false;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly store: RunStore,
    readonly runIds: [string, string],
    extensionUri: vscode.Uri,
    private readonly initialStep: number | undefined,
    onCommand: (command: CompareCommand) => void,
  ) {
    this.host = new PanelHost(panel, {
      app: 'sideBySide',
      title: panel.title,
      extensionUri,
      handlers: { sideBySideAt: (p) => this.at(p.step) },
      onCommand: (c) => onCommand(c as CompareCommand),
      onReady: () => void this.sendInit(),
    });
    this.leases = runIds.map((id) => store.hold(id));
    this.subscription = store.onDidChange((changes) => this.onChanges(changes));
  }

  private async sendInit(): Promise<void> {
    await Promise.all(this.leases.map((l) => l.ready));
    const steps = await Promise.all(this.runIds.map((id) => this.store.sampleSteps(id)));
    if (this.disposed) return;
    const runs = compareRunInfos(this.runIds, this.store.runs());
    this.host.notify({ type: 'sideBySideInit', runs, steps, step: this.initialStep });
  }

  /** Each run's groups at its step nearest to `step`, matched by prompt. */
  async at(step: number): Promise<SideBySide> {
    const [a, b] = await Promise.all(this.runIds.map((id) => this.store.sampleSteps(id)));
    this.lastShown = await sideBySideAt([a, b], step, (run, s) => this.store.samplesAt(this.runIds[run], s));
    return this.lastShown;
  }

  private onChanges(changes: RunChange[]): void {
    if (changes.some((c) => this.runIds.includes(c.runId) && (c.newSampleSteps?.length || c.supersededFrom)))
      void this.sendInit();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.leases.forEach((l) => l.dispose());
    this.host.dispose();
  }
}
