// A warning or error decoration on a run in the explorer: the run item's resourceUri is
// its folder, so a FileDecoration on that folder colours the run's label and shows the
// count of findings as a badge (the file explorer shows the same on the folder).
import * as vscode from 'vscode';
import type { RunStore } from '../../runs/model';
import type { FindingsHub } from './findingsHub';
import { worstSeverity } from './findingsHub';
import { countLine } from './findingItems';

export class RunDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly subscription: { dispose(): void };
  /** Folder path -> run id, for the runs that have findings. */
  private readonly runOfDir = new Map<string, string>();

  constructor(
    private readonly hub: FindingsHub,
    private readonly store: () => RunStore | undefined,
  ) {
    this.subscription = hub.onDidChange((runIds) => this.noteChanged(runIds));
  }

  private noteChanged(runIds: string[]): void {
    const uris: vscode.Uri[] = [];
    for (const runId of runIds) {
      const dir = this.store()?.get(runId)?.dir ?? [...this.runOfDir].find(([, id]) => id === runId)?.[0];
      if (!dir) continue;
      if (this.hub.get(runId).length > 0) this.runOfDir.set(dir, runId);
      else this.runOfDir.delete(dir);
      uris.push(vscode.Uri.file(dir));
    }
    if (uris.length > 0) this.changed.fire(uris);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    const runId = this.runOfDir.get(uri.fsPath);
    const findings = runId ? this.hub.get(runId) : [];
    const worst = worstSeverity(findings);
    if (!worst || worst === 'info') return undefined;
    const count = findings.filter((f) => f.severity !== 'info').length;
    return new vscode.FileDecoration(
      count > 9 ? '9+' : String(count),
      `Run doctor: ${countLine(findings)}`,
      new vscode.ThemeColor(worst === 'error' ? 'list.errorForeground' : 'list.warningForeground'),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
