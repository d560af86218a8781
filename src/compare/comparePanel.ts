// Overlaid curves of N runs: each run's last few hundred rows drawn at once, read from its
// file's end (first paint), then one session held per run and its recent window drawn, then
// its whole history, streamed from disk and downsampled, two
// runs at a time; live points as runs train; windows on request (zoom), per run.
import * as vscode from 'vscode';
import type { CompareCommand, SeriesWindow } from '../contract/messages';
import type { RunChange, RunStore, SessionLease } from '../runs/model';
import { toLivePoint } from '../panels/liveRows';
import { PanelHost } from '../panels/panelHost';
import { readSeriesWindow } from '../panels/seriesWindow';
import { firstPaintWindow } from './firstPaint';
import { compareRunInfos } from './runInfo';
import { readTailPaints } from './tailPaint';

export const COMPARE_VIEW_TYPE = 'grpoLens.compare';
const WIDTH = 800;
/** Whole histories read at once: each is a stream over a file; more only competes for the disk. */
const READERS = 2;
/** Sessions opened at once (see openSessions). */
export const OPENERS = 3;

export class ComparePanel implements vscode.Disposable {
  readonly host: PanelHost;
  /** One session per run, opened one after another so that the first run paints first. */
  private readonly leases = new Map<string, SessionLease>();
  private opening?: Promise<void>;
  private tailPainting?: Promise<void>;
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
    this.subscription = store.onDidChange((changes) => this.onChanges(changes));
  }

  /** Resolves when every run's whole history has been sent (tests and the benchmark wait on it). */
  whenComplete(): Promise<void> {
    return this.loading;
  }

  private async sendAll(): Promise<void> {
    this.host.notify({ type: 'compareInit', runs: compareRunInfos(this.runIds, this.store.runs()) });
    const read = this.runIds.filter((id) => this.overviews.has(id));
    const unread = this.runIds.filter((id) => !this.overviews.has(id));
    if (read.length > 0) {
      this.host.notify({
        type: 'compareSeries',
        windows: read.map((id) => this.overviews.get(id)!),
        complete: true,
      });
      for (const id of read) this.sendNewerThan(id, this.overviews.get(id)!.toStep);
    }
    // A reloaded webview: the runs whose sessions are open already are drawn again at once.
    const open = unread.filter((id) => this.leases.has(id));
    if (this.opening && open.length > 0) this.notifyFirst(open);
    // Every run's tail first (a small read each, all together), then each run again as soon
    // as its session has its recent rows.
    this.tailPainting ??= this.paintTails(unread);
    await this.tailPainting;
    this.opening ??= this.openSessions();
    await this.opening;
    if (this.disposed) return;
    const toRead = unread.filter((id) => !this.reading.has(id));
    if (toRead.length > 0)
      this.loading = Promise.all([this.loading, this.readHistories(toRead)]).then(() => undefined);
  }

  /**
   * Sessions opened a few at a time: opened all together, every run's window read would
   * progress at once and the first run would paint only when nearly all had; one at a time
   * leaves the disk idle while a window is parsed.
   */
  private async openSessions(): Promise<void> {
    const queue = [...this.runIds];
    const opener = async () => {
      for (let id = queue.shift(); id !== undefined && !this.disposed; id = queue.shift()) {
        const lease = this.store.hold(id);
        this.leases.set(id, lease);
        await lease.ready;
        if (!this.disposed && !this.overviews.has(id)) this.notifyFirst([id]);
      }
    };
    await Promise.all(Array.from({ length: OPENERS }, opener));
  }

  /** The runs' tails in one message, for those no session or history has drawn yet. */
  private async paintTails(ids: string[]): Promise<void> {
    const windows = await readTailPaints(ids.map((id) => this.store.get(id)));
    const fresh = windows.filter((w) => !this.leases.has(w.runId) && !this.overviews.has(w.runId));
    if (!this.disposed && fresh.length > 0)
      this.host.notify({ type: 'compareSeries', windows: fresh, complete: false });
  }

  private notifyFirst(ids: string[]): void {
    this.host.notify({
      type: 'compareSeries',
      windows: ids.map((id) => this.firstPaint(id)),
      complete: false,
    });
  }

  /** A run's recent window, already in its session: drawn with no disk read. */
  firstPaint(runId: string): SeriesWindow {
    return firstPaintWindow(runId, this.store.recentMetrics(runId));
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
    this.leases.clear();
    this.host.dispose();
  }
}
