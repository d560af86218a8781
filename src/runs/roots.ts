// Where runs are looked for: each workspace folder (a few levels down, honouring
// files.exclude), the grpoLens.runRoots setting, folders added with "GRPO: Open Run
// Folder…" (kept per workspace), and Trackio's folder when it exists.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ScanRoot } from './discovery';
import { excludedBy } from './excludes';
import { defaultTrackioDir } from './sources/trackio';

/** How deep below a workspace folder a run's folder may be (runs/x, outputs/x/y…). */
const WORKSPACE_DEPTH = 3;
const OPENED_KEY = 'grpoLens.openedRunFolders';

export class RunPlaces {
  constructor(private readonly workspaceState: vscode.Memento) {}

  roots(): ScanRoot[] {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const base = folders[0] ?? process.cwd();
    const extra = vscode.workspace.getConfiguration('grpoLens').get<string[]>('runRoots', []) ?? [];
    const trackio = defaultTrackioDir(process.env);
    return dedupe([
      ...folders.map((f) => ({ path: f, depth: WORKSPACE_DEPTH })),
      ...extra.map((r) => ({ path: path.resolve(base, r), depth: 1 })),
      ...this.openedFolders().map((f) => ({ path: f, depth: 1 })),
      ...(fs.existsSync(trackio) ? [{ path: trackio, depth: 0 }] : []),
    ]);
  }

  openedFolders(): string[] {
    return this.workspaceState.get<string[]>(OPENED_KEY, []);
  }

  async addOpenedFolder(folder: string): Promise<void> {
    const folders = [...new Set([...this.openedFolders(), path.resolve(folder)])];
    await this.workspaceState.update(OPENED_KEY, folders);
  }

  /** files.exclude of the workspace, as a test on absolute paths. */
  isExcluded(): (absolutePath: string) => boolean {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const patterns = Object.entries(
      vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude', {}) ?? {},
    )
      .filter(([, on]) => on === true)
      .map(([glob]) => glob);
    // Asked for every folder the walk and the watcher meet: the matcher is built once per setting.
    const key = JSON.stringify([patterns, folders]);
    if (this.excluded?.key !== key) this.excluded = { key, test: excludedBy(patterns, folders) };
    return this.excluded.test;
  }

  private excluded: { key: string; test: (absolutePath: string) => boolean } | undefined;
}

function dedupe(roots: ScanRoot[]): ScanRoot[] {
  const byPath = new Map<string, ScanRoot>();
  for (const root of roots) {
    const seen = byPath.get(root.path);
    if (!seen || seen.depth < root.depth) byPath.set(root.path, root);
  }
  return [...byPath.values()];
}

/** Where new runs of a config go: runs/ of the workspace folder that holds it. */
export function runsFolderFor(configUri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(configUri) ?? vscode.workspace.workspaceFolders?.[0];
  return path.join(folder?.uri.fsPath ?? path.dirname(configUri.fsPath), 'runs');
}
