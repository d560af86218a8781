// Config problems shown where they are: diagnostics on the *.grpo.json file.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { checkConfigText, ConfigCheck } from './configValidation';

export class ConfigChecker implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('grpoLens');
  private schema: object | undefined;

  constructor(private readonly schemaPath: string) {}

  /** Validates the document (saved or not); sets or clears its diagnostics. */
  check(document: vscode.TextDocument): ConfigCheck {
    const result = checkConfigText(document.getText(), this.loadSchema());
    this.diagnostics.set(
      document.uri,
      result.problems.map((p) => {
        const range = new vscode.Range(
          document.positionAt(p.offset),
          document.positionAt(p.offset + p.length),
        );
        const diagnostic = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'GRPO Lens';
        return diagnostic;
      }),
    );
    return result;
  }

  dispose(): void {
    this.diagnostics.dispose();
  }

  private loadSchema(): object {
    this.schema ??= JSON.parse(fs.readFileSync(this.schemaPath, 'utf8')) as object;
    return this.schema;
  }
}
