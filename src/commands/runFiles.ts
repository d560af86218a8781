// GRPO: Show Log, Reveal Run, Delete Run — the run directory as files.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { isActiveState } from '../runs/summary';
import { runLabel } from '../views/runItem';
import type { CommandDeps } from './deps';
import { refuseIfReadOnly, runFromArgOrPick } from './runArgs';

export async function showLog(deps: CommandDeps, arg: unknown): Promise<void> {
  const store = await deps.runs.whenReady();
  const run = await runFromArgOrPick(arg, store, 'Show Log', (r) => r.source === 'grpo-lens');
  if (!run || refuseIfReadOnly(run, 'log')) return;
  const log = path.join(run.dir, 'train.log');
  if (!fs.existsSync(log)) {
    void vscode.window.showInformationMessage(`GRPO run ${runLabel(run)} has no train.log yet.`);
    return;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(log));
  const end = document.lineAt(Math.max(0, document.lineCount - 1)).range.end;
  await vscode.window.showTextDocument(document, { preview: false, selection: new vscode.Range(end, end) });
}

export async function revealRun(deps: CommandDeps, arg: unknown): Promise<void> {
  const store = await deps.runs.whenReady();
  const run = await runFromArgOrPick(arg, store, 'Reveal Run');
  if (!run) return;
  const uri = vscode.Uri.file(run.dir);
  // In a remote or web window the OS file manager is not the one with the files.
  const local = !vscode.env.remoteName && vscode.env.uiKind === vscode.UIKind.Desktop;
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  await vscode.commands.executeCommand(local || !inWorkspace ? 'revealFileInOS' : 'revealInExplorer', uri);
}

/** Deletes a run directory after a modal confirmation ({ confirmed: true } as 2nd argument skips it). */
export async function deleteRun(
  deps: CommandDeps,
  arg: unknown,
  options?: { confirmed?: boolean },
): Promise<boolean> {
  const store = await deps.runs.whenReady();
  const run = await runFromArgOrPick(
    arg,
    store,
    'Delete Run',
    (r) => r.source === 'grpo-lens' && !isActiveState(r.state),
  );
  if (!run || refuseIfReadOnly(run, 'delete')) return false;
  if (isActiveState(run.state)) {
    void vscode.window.showWarningMessage(
      `GRPO run ${runLabel(run)} is ${run.state}: stop it before deleting it.`,
    );
    return false;
  }
  if (!options?.confirmed) {
    const choice = await vscode.window.showWarningMessage(
      `Delete GRPO run ${runLabel(run)}?`,
      {
        modal: true,
        detail: `This deletes ${run.dir} with its logs and ${run.checkpoints.length} checkpoint(s).`,
      },
      'Delete',
    );
    if (choice !== 'Delete') return false;
  }
  await fs.promises.rm(run.dir, { recursive: true, force: true });
  deps.log.info(`deleted run ${run.dir}`);
  await store.refresh();
  return true;
}
