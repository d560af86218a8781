// GRPO: Open Run Folder… adds any folder (a TRL output_dir, a verl log folder, a
// folder of runs) to the places runs are looked for, kept for this workspace.
import * as path from 'path';
import * as vscode from 'vscode';
import { runsIn } from '../runs/discovery';
import type { CommandDeps } from './deps';
import * as fs from 'fs';

export async function openRunFolder(deps: CommandDeps, arg?: unknown): Promise<string | undefined> {
  const folder =
    arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : await askForFolder();
  if (!folder) return undefined;
  const resolved = path.resolve(folder);
  if (!(await hasRuns(resolved))) {
    void vscode.window.showWarningMessage(
      `GRPO Lens found no run in ${resolved}: it reads folders written by its own trainer, TRL and Unsloth ` +
        `(output_dir), verl (file logger, rollout dumps), OpenRLHF and TensorBoard (event files) and Trackio (.db).`,
    );
    return undefined;
  }
  await deps.places.addOpenedFolder(resolved);
  const store = await deps.runs.whenReady();
  await store.refresh();
  void vscode.commands.executeCommand('workbench.view.extension.grpoLens');
  return resolved;
}

async function askForFolder(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title: 'GRPO: Open Run Folder',
    openLabel: 'Open Run Folder',
  });
  return picked?.[0]?.fsPath;
}

/** The folder is a run, or one of its subfolders is. */
async function hasRuns(folder: string): Promise<boolean> {
  const entries = await fs.promises.readdir(folder, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return false;
  if (
    (
      await runsIn(
        folder,
        entries.map((e) => e.name),
      )
    ).length > 0
  )
    return true;
  for (const sub of entries.filter((e) => e.isDirectory())) {
    const inner = await fs.promises.readdir(path.join(folder, sub.name)).catch(() => [] as string[]);
    if ((await runsIn(path.join(folder, sub.name), inner)).length > 0) return true;
  }
  return false;
}
