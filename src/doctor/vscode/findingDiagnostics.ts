// The Problems panel: each run's findings as diagnostics on its main file (our metrics.jsonl,
// or the file its source names), each with a code that links to the dashboard at its step.
// VS Code's Problems panel and hover open a diagnostic's code target with commands allowed
// (checked in code-server 4.100), so a command URI is enough; the quick fix
// "Open Dashboard at Step N" (findingActions.ts) does the same from the editor.
import * as vscode from 'vscode';
import { visibleText } from '../../contract/visibleText';
import type { RunStore } from '../../runs/model';
import type { Finding, Severity } from '../finding';
import type { FindingsHub } from './findingsHub';
import { findingStep, OPEN_AT_STEP_COMMAND } from './findingItems';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'GRPO run doctor';

/** A command: URI that opens the dashboard of a run at a step. */
export function openAtStepUri(runId: string, step: number, findingId?: string): vscode.Uri {
  const args = encodeURIComponent(JSON.stringify([{ runId, step, findingId }]));
  return vscode.Uri.parse(`command:${OPEN_AT_STEP_COMMAND}?${args}`);
}

export function findingDiagnostic(runId: string, finding: Finding): vscode.Diagnostic {
  const step = findingStep(finding);
  const range = new vscode.Range(0, 0, 0, 0);
  const text = `${visibleText(finding.message)} (step ${step}) — Try: ${visibleText(finding.tryThis)}`;
  const diagnostic = new vscode.Diagnostic(range, text, SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.id, target: openAtStepUri(runId, step, finding.id) };
  return diagnostic;
}

export class FindingDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('grpoLens.doctor');
  private readonly fileOfRun = new Map<string, vscode.Uri>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly hub: FindingsHub,
    private readonly store: () => RunStore | undefined,
  ) {
    this.subscription = hub.onDidChange((runIds) => runIds.forEach((id) => this.show(id)));
  }

  /** Several runs may share a file (Trackio's database): each file shows all of its runs' findings. */
  private show(runId: string): void {
    const old = this.fileOfRun.get(runId);
    this.fileOfRun.delete(runId);
    const file = this.store()?.get(runId)?.mainFile;
    if (file && this.hub.get(runId).length > 0) this.fileOfRun.set(runId, vscode.Uri.file(file));
    for (const uri of [old, this.fileOfRun.get(runId)]) if (uri) this.redraw(uri);
  }

  private redraw(uri: vscode.Uri): void {
    const runs = [...this.fileOfRun].filter(([, u]) => u.toString() === uri.toString()).map(([id]) => id);
    const diagnostics = runs.flatMap((id) => this.hub.get(id).map((f) => findingDiagnostic(id, f)));
    if (diagnostics.length > 0) this.collection.set(uri, diagnostics);
    else this.collection.delete(uri);
  }

  /** The run whose main file this is, for the quick fix. */
  runOf(uri: vscode.Uri): string | undefined {
    return [...this.fileOfRun].find(([, u]) => u.toString() === uri.toString())?.[0];
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
