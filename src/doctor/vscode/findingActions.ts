// A quick fix on the doctor's diagnostics: "Open Dashboard at Step N", for where the
// Problems panel's code link is not at hand (the editor's light bulb, Ctrl+.).
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './findingDiagnostics';
import { OPEN_AT_STEP_COMMAND } from './findingItems';

export class FindingActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    _document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    return context.diagnostics
      .filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'object')
      .map((d) => {
        const target = (d.code as { target: vscode.Uri }).target;
        const [args] = JSON.parse(decodeURIComponent(target.query)) as [{ runId: string; step: number }];
        const action = new vscode.CodeAction(
          `Open Dashboard at Step ${args.step}`,
          vscode.CodeActionKind.QuickFix,
        );
        action.diagnostics = [d];
        action.command = { command: OPEN_AT_STEP_COMMAND, title: action.title, arguments: [args] };
        return action;
      });
  }
}
