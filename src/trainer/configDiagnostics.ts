// Config problems shown where they are: diagnostics on the *.grpo.json file, kept current
// as the user types (debounced), cleared when fixed and when the file is closed.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { checkConfigText, ConfigCheck, type ConfigProblem } from './configValidation';

export const CONFIG_SUFFIX = '.grpo.json';
/** Typing pauses this long before the config is checked again. */
const TYPING_PAUSE_MS = 300;

export function isGrpoConfig(document: vscode.TextDocument): boolean {
  return document.uri.scheme !== 'git' && document.uri.path.endsWith(CONFIG_SUFFIX);
}

export class ConfigChecker implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('grpoLens');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private schema: object | undefined;

  constructor(
    private readonly schemaPath: string,
    private readonly pauseMs = TYPING_PAUSE_MS,
  ) {}

  /** Validates the document (saved or not); sets or clears its diagnostics. */
  check(document: vscode.TextDocument): ConfigCheck {
    this.cancel(document.uri);
    const result = checkConfigText(document.getText(), this.loadSchema());
    this.diagnostics.set(document.uri, asDiagnostics(document, result.problems));
    return result;
  }

  /** Checks open configs now, opened ones at once, edited ones when typing pauses. */
  watch(): vscode.Disposable[] {
    vscode.workspace.textDocuments.filter(isGrpoConfig).forEach((d) => this.check(d));
    return [
      vscode.workspace.onDidOpenTextDocument((d) => isGrpoConfig(d) && this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => isGrpoConfig(e.document) && this.later(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      // A document may outlive its last tab for a long while: closing the tab is the close.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        const open = new Set(allTabs().map(tabUri).filter(Boolean).map(String));
        for (const uri of e.closed.map(tabUri)) if (uri && !open.has(uri.toString())) this.forget(uri);
      }),
    ];
  }

  private forget(uri: vscode.Uri): void {
    this.cancel(uri);
    this.diagnostics.delete(uri);
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.diagnostics.dispose();
  }

  private later(document: vscode.TextDocument): void {
    this.cancel(document.uri);
    const timer = setTimeout(() => {
      if (!document.isClosed) this.check(document);
    }, this.pauseMs);
    this.timers.set(document.uri.toString(), timer);
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  private loadSchema(): object {
    this.schema ??= JSON.parse(fs.readFileSync(this.schemaPath, 'utf8')) as object;
    return this.schema;
  }
}

/** Problems (character ranges) as the editor's diagnostics (also used for sweep files). */
export function asDiagnostics(document: vscode.TextDocument, problems: ConfigProblem[]): vscode.Diagnostic[] {
  return problems.map((p) => {
    const range = new vscode.Range(document.positionAt(p.offset), document.positionAt(p.offset + p.length));
    const diagnostic = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'GRPO Lens';
    return diagnostic;
  });
}

function allTabs(): readonly vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText && tab.input.uri.path.endsWith(CONFIG_SUFFIX)
    ? tab.input.uri
    : undefined;
}
