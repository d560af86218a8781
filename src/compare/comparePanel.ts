// Overlaid curves of N runs: one session held per run, each run's recent window drawn at
// once (first paint), then its whole history, streamed from disk and downsampled, two
// runs at a time; live points as runs train; windows on request (zoom), per run.
import * as vscode from 'vscode';
import type { CompareCommand, SeriesWindow } from '../contract/messages';
import type { RunChange, RunStore, SessionLease } from '../runs/model';
import { toLivePoint } from '../panels/liveRows';
import { PanelHost } from '../panels/panelHost';
import { readSeriesWindow, seriesFromRows } from '../panels/seriesWindow';
import { compareRunInfos } from './runInfo';

export const COMPARE_VIEW_TYPE = 'grpoLens.compare';
const WIDTH = 800;
/** Whole histories read at once: each is a stream over a file; more only competes for the disk. */
const READERS = 2;

export class ComparePanel implements vscode.Disposable {
  readonly host: PanelHost;
  private readonly leases: SessionLease[];
  private readonly subscription: vscode.Disposable;
  /** Each run's whole-history overview, once read (downsampled: O(metrics x width)). */
  readonly overviews = new Map<string, SeriesWindow>();
  private loading: Promise<void> = Promise.resolve();
  /** Runs whose whole history is being read now. */
  private readonly reading = new Set<string>();
  private disposed = false;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly store: RunStore,
    readonly runIds: string[],
    extensionUri: vscode.Uri,
    onCommand: (command: CompareCommand) => void,
  ) {
    this.host = new PanelHost(panel, {
      app: 'compare',
      title: panel.title,
      extensionUri,
      handlers: {
        seriesWindow: async (p) => {
          if (!runIds.includes(p.runId)) throw new Error('run not in this comparison');
          return readSeriesWindow(store, p.runId, p.width, p.fromStep, p.toStep);
        },
      },
      onCommand: (c) => onCommand(c as CompareCommand),
      onReady: () => void this.sendAll(),
    });
    this.leases = runIds.map((id) => store.hold(id));
    this.subscription = store.onDidChange((changes) => this.onChanges(changes));
  }

  /** Resolves when every run's whole history has been sent (tests and the benchmark wait on it). */
  whenComplete(): Promise<void> {
    return this.loading;
  }

  private async sendAll(): Promise<void> {
    await Promise.all(this.leases.map((l) => l.ready));
    if (this.disposed) return;
    this.host.notify({ type: 'compareInit', runs: compareRunInfos(this.runIds, this.store.runs()) });
    const read = this.runIds.filter((id) => this.overviews.has(id));
    const unread = this.runIds.filter((id) => !this.overviews.has(id));
    if (unread.length > 0)
      this.host.notify({
        type: 'compareSeries',
        windows: unread.map((id) => this.firstPaint(id)),
        complete: false,
      });
    if (read.length > 0) {
      this.host.notify({
        type: 'compareSeries',
        windows: read.map((id) => this.overviews.get(id)!),
        complete: true,
      });
      for (const id of read) this.sendNewerThan(id, this.overviews.get(id)!.toStep);
    }
    const toRead = unread.filter((id) => !this.reading.has(id));
    if (toRead.length > 0)
      this.loading = Promise.all([this.loading, this.readHistories(toRead)]).then(() => undefined);
  }

  /** A run's recent window, already in its session: drawn with no disk read. */
  firstPaint(runId: string): SeriesWindow {
    return seriesFromRows(runId, this.store.recentMetrics(runId), WIDTH);
  }

  private async readHistories(runIds: string[]): Promise<void> {
    const queue = [...runIds];
    runIds.forEach((id) => this.reading.add(id));
    const reader = async () => {
      for (let id = queue.shift(); id !== undefined && !this.disposed; id = queue.shift()) {
        const window = await readSeriesWindow(this.store, id, WIDTH)
          .catch(() => undefined) // a run whose files went away keeps its first paint
          .finally(() => this.reading.delete(id));
        if (!window || this.disposed) continue;
        this.overviews.set(id, window);
        this.host.notify({ type: 'compareSeries', windows: [window], complete: true });
      }
    };
    await Promise.all(Array.from({ length: READERS }, reader));
  }

  /** Rows a reloaded webview has not seen: those after the overview it was sent. */
  private sendNewerThan(runId: string, step: number): void {
    const rows = this.store.recentMetrics(runId).filter((r) => r.step > step);
    if (rows.length > 0) this.host.notify({ type: 'compareAppend', runId, points: rows.map(toLivePoint) });
  }

  private onChanges(changes: RunChange[]): void {
    for (const change of changes) {
      if (!this.runIds.includes(change.runId)) continue;
      if (change.supersededFrom !== undefined) this.overviews.delete(change.runId);
      if (!change.newMetrics?.length && change.supersededFrom === undefined) continue;
      this.host.notify({
        type: 'compareAppend',
        runId: change.runId,
        points: (change.newMetrics ?? []).map(toLivePoint),
        supersededFrom: change.supersededFrom,
      });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.leases.forEach((l) => l.dispose());
    this.host.dispose();
  }
}
