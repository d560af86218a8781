// GRPO: Edit Note… opens the run's note as a real Markdown file in an editor (created
// empty if missing); GRPO: Edit Tags… asks for a comma-separated list. Both from the
// tree's context menu, the table, and the palette (which asks for the run).
import * as vscode from 'vscode';
import { visibleLine } from '../contract/visibleText';
import type { RunStore, RunSummary } from '../runs/model';
import { ensureNoteFile, notesLocation, parseTagList, readRunNotes, setRunTags } from '../runs/notes';
import type { RunNotesIndex } from '../runs/notesIndex';
import { pickRun, runIdOf } from '../panels/quickPick';

async function runOf(store: RunStore, arg: unknown, title: string): Promise<RunSummary | undefined> {
  const runId = runIdOf(arg) ?? (await pickRun(store, title));
  return runId ? store.get(runId) : undefined;
}

function failure(what: string, run: RunSummary, err: unknown): void {
  const why = err instanceof Error ? err.message : String(err);
  void vscode.window.showErrorMessage(`GRPO Lens: could not ${what} of ${visibleLine(run.name)}: ${why}`);
}

export async function editRunNote(
  store: RunStore,
  notes: RunNotesIndex,
  arg: unknown,
): Promise<vscode.TextEditor | undefined> {
  const run = await runOf(store, arg, 'Edit Note of Run');
  if (!run) return undefined;
  try {
    const file = await ensureNoteFile(run);
    await notes.ensure(run);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    return await vscode.window.showTextDocument(document, { preview: false });
  } catch (err) {
    failure('open the note', run, err);
    return undefined;
  }
}

/** Sets the tags; `tags` (a list) skips the input box, for tests and other features. */
export async function editRunTags(
  store: RunStore,
  arg: unknown,
  tags?: unknown,
): Promise<string[] | undefined> {
  const run = await runOf(store, arg, 'Edit Tags of Run');
  if (!run) return undefined;
  const current = await readRunNotes(run);
  if (current.problem) {
    const open = await vscode.window.showWarningMessage(`GRPO Lens: ${current.problem}`, 'Open File');
    if (open) await vscode.window.showTextDocument(vscode.Uri.file(notesLocation(run).tagsFile));
    return undefined;
  }
  const typed = Array.isArray(tags)
    ? tags.map(String)
    : await vscode.window
        .showInputBox({
          title: `Tags of ${visibleLine(run.name)}`,
          prompt: 'Comma-separated, e.g. baseline, beta=0.1, sweep:beta-grid (the table groups by "sweep:")',
          value: current.tags.join(', '),
          ignoreFocusOut: true,
        })
        .then((text) => (text === undefined ? undefined : parseTagList(text)));
  if (typed === undefined) return undefined;
  try {
    return await setRunTags(run, typed);
  } catch (err) {
    failure('save the tags', run, err);
    return undefined;
  }
}

/** A note saved in an editor: its run's entry is read again (tree and table redraw). */
export function followSavedNotes(notes: RunNotesIndex): vscode.Disposable {
  return vscode.workspace.onDidSaveTextDocument((document) => {
    if (document.uri.scheme !== 'file' || !document.fileName.endsWith('.md')) return;
    const runId = notes.runOfNoteFile(document.uri.fsPath, (run) => notesLocation(run).noteFile);
    if (runId) void notes.reload(runId);
  });
}
