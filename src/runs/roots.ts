// The folders whose subfolders are run directories: runs/ of each workspace folder
// and the grpoLens.runRoots setting (relative entries resolve against the first folder).
import * as path from 'path';
import * as vscode from 'vscode';

export function runRoots(): string[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const extra = vscode.workspace.getConfiguration('grpoLens').get<string[]>('runRoots', []) ?? [];
  const base = folders[0] ?? process.cwd();
  const roots = [...folders.map((f) => path.join(f, 'runs')), ...extra.map((r) => path.resolve(base, r))];
  return [...new Set(roots)];
}

/** Where new runs of a config go: runs/ of the workspace folder that holds it. */
export function runsFolderFor(configUri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(configUri) ?? vscode.workspace.workspaceFolders?.[0];
  return path.join(folder?.uri.fsPath ?? path.dirname(configUri.fsPath), 'runs');
}
