// The host side of the runs table: every run as a row (summary, config keys, summary
// metrics, tags and note), sent once on ready and then only the rows that changed, so
// that the webview keeps its sort, filter, selection and scroll while runs move.
import * as vscode from 'vscode';
import type {
  RunsTableColumn,
  RunsTableCommand,
  RunsTableRow,
  RunsTableViewState,
  WebviewCommand,
} from '../contract/messages';
import type { RunChange, RunStore } from '../runs/model';
import type { Finding } from '../doctor/finding';
import type { RunNotesIndex } from '../runs/notesIndex';
import { PanelHost } from '../panels/panelHost';
import { availableColumns } from './columns';
import { tableRow, trackedMetric } from './rows';
import type { RunStatsCache } from './statsCache';

export const RUNS_TABLE_VIEW_TYPE = 'grpoLens.runsTable';
const VIEW_KEY = 'grpoLens.runsTable.view';
/** Changes arriving within this are sent as one update. */
const BATCH_MS = 150;

interface TableInit {
  rows: RunsTableRow[];
  columns: RunsTableColumn[];
  view: RunsTableViewState;
  viewKey: string;
}

export interface RunsTableDeps {
  store: RunStore;
  stats: RunStatsCache;
  notes: RunNotesIndex;
  /** The run doctor's findings per run (the table's findings column). */
  findings?: {
    get(runId: string): Finding[];
    onDidChange(listener: (runIds: string[]) => void): vscode.Disposable;
  };
  workspaceState: vscode.Memento;
  extensionUri: vscode.Uri;
  onCommand: (command: RunsTableCommand, panel: RunsTablePanel) => void;
}

export class RunsTablePanel implements vscode.Disposable {
  readonly host: PanelHost;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly dirty = new Set<string>();
  private readonly removed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private columnsSent: RunsTableColumn[] = [];
  /** Rows sent in updates (tests, benchmark). */
  rowsSent = 0;
  /**
   * The rows built while VS Code creates the webview (the better part of a second), sent on
   * its first ready if no run, stat, note or finding changed meanwhile: the ready → rows trip
   * then carries no build of 500 rows.
   */
  private early: (TableInit & { changes: number }) | undefined;
  private readonly earlyTimer: NodeJS.Timeout;
  private changes = 0;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: RunsTableDeps,
  ) {
    this.host = new PanelHost(panel, {
      app: 'runsTable',
      title: panel.title,
      extensionUri: deps.extensionUri,
      handlers: {},
      onCommand: (c: WebviewCommand) => this.command(c),
      onReady: () => this.sendInit(true),
    });
    // After this turn, so that the HTML set above goes out to VS Code before the build.
    this.earlyTimer = setTimeout(() => (this.early = { ...this.buildInit(), changes: this.changes }), 0);
    this.subscriptions.push(
      deps.store.onDidChange((changes) => this.onRunChanges(changes)),
      deps.stats.onDidUpdate((ids) => this.markDirty(ids)),
      deps.notes.onDidChange((ids) => this.markDirty(ids)),
    );
    if (deps.findings) this.subscriptions.push(deps.findings.onDidChange((ids) => this.markDirty(ids)));
  }

  get view(): RunsTableViewState {
    return this.deps.workspaceState.get<RunsTableViewState>(VIEW_KEY) ?? {};
  }

  /** Merges a change made on the host (a column added from the quick pick). */
  saveView(patch: RunsTableViewState): Promise<void> {
    return this.replaceView({ ...this.view, ...patch });
  }

  /**
   * The webview's whole view (a choice it dropped, such as its own columns for the default,
   * arrives as a missing key: merging would keep the old one).
   */
  async replaceView(next: RunsTableViewState): Promise<void> {
    const before = this.view;
    await this.deps.workspaceState.update(VIEW_KEY, next);
    const metricsChanged = JSON.stringify(before.extraMetrics) !== JSON.stringify(next.extraMetrics);
    const shapeChanged =
      metricsChanged || JSON.stringify(before.extraConfig) !== JSON.stringify(next.extraConfig);
    // N, added metrics and config keys change every row: send them all again.
    if (shapeChanged || before.meanOf !== next.meanOf) this.sendInit();
  }

  /** Every row now (the webview's (re)load, a change of N or of the followed metrics). */
  sendInit(onReady = false): void {
    const early = onReady ? this.early : undefined;
    this.early = undefined;
    const fresh = early?.changes === this.changes && early.viewKey === JSON.stringify(this.view);
    const { rows, columns, view } = fresh ? early : this.buildInit();
    this.columnsSent = columns;
    this.dirty.clear();
    this.removed.clear();
    this.host.notify({ type: 'tableInit', rows, columns, view });
    const runs = this.deps.store.runs();
    this.deps.stats.want(runs);
    void this.deps.notes.ensureAll(runs);
  }

  private buildInit(): TableInit {
    const view = this.view;
    const extra = view.extraMetrics ?? [];
    this.deps.stats.track(extra.join('\n'), trackedMetric(extra));
    const rows = this.deps.store
      .runs()
      .map((r) => this.row(r.id))
      .filter((r): r is RunsTableRow => r !== undefined);
    return { rows, columns: availableColumns(rows, view), view, viewKey: JSON.stringify(view) };
  }

  /** Every run's row as it would be sent now (host tests). */
  currentRows(): RunsTableRow[] {
    return this.deps.store.runs().map((r) => this.row(r.id)!);
  }

  private row(runId: string): RunsTableRow | undefined {
    const run = this.deps.store.get(runId);
    if (!run) return undefined;
    const view = this.view;
    return tableRow(run, this.deps.stats.get(runId), this.deps.notes.get(runId), {
      meanOf: view.meanOf ?? 10,
      extraMetrics: view.extraMetrics ?? [],
      extraConfig: view.extraConfig ?? [],
      now: Date.now(),
      findings: this.deps.findings?.get(runId),
    });
  }

  private onRunChanges(changes: RunChange[]): void {
    this.changes++;
    this.deps.stats.noteChanges(changes);
    const moved = changes.filter((c) => c.summary || c.removed || c.newMetrics?.length);
    for (const c of moved) if (c.removed) this.removed.add(c.runId);
    const fresh = moved.filter((c) => !c.removed).map((c) => c.runId);
    const runs = fresh.map((id) => this.deps.store.get(id)).filter((r) => r !== undefined);
    this.deps.stats.want(runs);
    void this.deps.notes.ensureAll(runs);
    this.markDirty(fresh);
  }

  private markDirty(ids: string[]): void {
    this.changes++;
    for (const id of ids) this.dirty.add(id);
    if (this.timer || (this.dirty.size === 0 && this.removed.size === 0)) return;
    this.timer = setTimeout(() => this.sendUpdate(), BATCH_MS);
  }

  private sendUpdate(): void {
    this.timer = undefined;
    const rows = [...this.dirty].map((id) => this.row(id)).filter((r): r is RunsTableRow => r !== undefined);
    const removed = [...this.removed].filter((id) => !this.deps.store.get(id));
    this.dirty.clear();
    this.removed.clear();
    if (rows.length === 0 && removed.length === 0) return;
    this.rowsSent += rows.length;
    const update: {
      type: 'tableUpdate';
      rows: RunsTableRow[];
      removed: string[];
      columns?: RunsTableColumn[];
    } = { type: 'tableUpdate', rows, removed };
    // Columns change only when a changed row brings a metric or config key not seen yet.
    const known = new Set(this.columnsSent.map((c) => c.id));
    if (availableColumns(rows, this.view).some((c) => !known.has(c.id))) {
      this.columnsSent = availableColumns(this.currentRows(), this.view);
      update.columns = this.columnsSent;
    }
    this.host.notify(update);
  }

  private command(c: WebviewCommand): void {
    if (c.command === 'tableSaveView') void this.replaceView(c.view);
    else if (c.command.startsWith('table')) this.deps.onCommand(c as RunsTableCommand, this);
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.earlyTimer);
    for (const s of this.subscriptions) s.dispose();
    this.host.dispose();
  }
}
