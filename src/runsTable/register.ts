// Registers GRPO: Show Runs Table (one panel, restored after a reload), Edit Note… and
// Edit Tags…, and shows notes and tags in the run explorer. The stats of each run and
// the notes index live as long as the extension: opening the table again reads nothing.
import { doctorFindings } from '../doctor/vscode/findingsHub';
import * as vscode from 'vscode';
import type { RunStore } from '../runs/model';
import { RunNotesIndex } from '../runs/notesIndex';
import type { RunTreeProvider } from '../views/runTree';
import { runTableCommand } from './actions';
import { editRunNote, editRunTags, followSavedNotes } from './notesCommands';
import { RUNS_TABLE_VIEW_TYPE, RunsTablePanel } from './panel';
import { panelOptions } from '../panels/panelHost';
import { RunStatsCache } from './statsCache';

/** The open table, for tests. */
export const openRunsTable: { panel?: RunsTablePanel } = {};

export function registerRunsTable(
  context: vscode.ExtensionContext,
  getStore: () => Promise<RunStore>,
  tree?: RunTreeProvider,
): void {
  const notes = new RunNotesIndex();
  let stats: RunStatsCache | undefined;
  const statsOf = (store: RunStore) => (stats ??= new RunStatsCache(store));

  const show = async (panel?: vscode.WebviewPanel): Promise<RunsTablePanel> => {
    const store = await getStore();
    if (openRunsTable.panel && !panel) {
      openRunsTable.panel.host.panel.reveal();
      return openRunsTable.panel;
    }
    const webviewPanel =
      panel ??
      vscode.window.createWebviewPanel(
        RUNS_TABLE_VIEW_TYPE,
        'GRPO Runs',
        vscode.ViewColumn.Active,
        panelOptions(context.extensionUri),
      );
    const table = new RunsTablePanel(webviewPanel, {
      store,
      stats: statsOf(store),
      notes,
      findings: doctorFindings,
      workspaceState: context.workspaceState,
      extensionUri: context.extensionUri,
      onCommand: (c, p) => void runTableCommand(store, c, p).catch((err) => showFailure(c.command, err)),
    });
    openRunsTable.panel = table;
    table.host.onDidDispose(() => {
      if (openRunsTable.panel === table) openRunsTable.panel = undefined;
      table.dispose();
    });
    return table;
  };

  context.subscriptions.push(
    notes,
    followSavedNotes(notes),
    ...(tree ? [tree.showNotes(notes)] : []),
    vscode.commands.registerCommand('grpoLens.showRunsTable', () => show()),
    vscode.commands.registerCommand('grpoLens.editRunNote', async (arg) =>
      editRunNote(await getStore(), notes, arg),
    ),
    vscode.commands.registerCommand('grpoLens.editRunTags', async (arg, tags) =>
      editRunTags(await getStore(), arg, tags),
    ),
    vscode.window.registerWebviewPanelSerializer(RUNS_TABLE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => void (await show(panel)),
    }),
    { dispose: () => (openRunsTable.panel?.dispose(), stats?.dispose()) },
  );
}

function showFailure(command: string, err: unknown): void {
  const why = err instanceof Error ? err.message : String(err);
  void vscode.window.showErrorMessage(
    `GRPO Lens: the runs table could not ${command.replace(/^table/, '').toLowerCase()}: ${why}`,
  );
}
