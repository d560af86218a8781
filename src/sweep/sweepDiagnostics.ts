// Sweep problems shown where they are: diagnostics on the *.sweep.json (unknown key,
// empty grid, a value the config schema refuses, an unreadable base), kept current as
// the user types, and checked again right before a sweep is queued.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { asDiagnostics } from '../trainer/configDiagnostics';
import { expandSweep, SWEEP_SUFFIX, type SweepExpansion } from './expand';

const TYPING_PAUSE_MS = 300;

export function isSweepFile(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && document.uri.path.endsWith(SWEEP_SUFFIX);
}

export class SweepChecker implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('grpoLens.sweep');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private schema: object | undefined;

  constructor(private readonly configSchemaPath: string) {}

  /** Expands the sweep as the editor has it and shows its problems (none: cleared). */
  check(document: vscode.TextDocument): SweepExpansion {
    clearTimeout(this.timers.get(document.uri.toString()));
    const expansion = expandSweep({
      text: document.getText(),
      sweepPath: document.uri.fsPath,
      readText: textAsEdited,
      configSchema: this.configSchema(),
    });
    this.diagnostics.set(document.uri, asDiagnostics(document, expansion.problems));
    return expansion;
  }

  watch(): vscode.Disposable[] {
    vscode.workspace.textDocuments.filter(isSweepFile).forEach((d) => this.check(d));
    return [
      vscode.workspace.onDidOpenTextDocument((d) => isSweepFile(d) && this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => isSweepFile(e.document) && this.later(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
    ];
  }

  private later(document: vscode.TextDocument): void {
    clearTimeout(this.timers.get(document.uri.toString()));
    const timer = setTimeout(() => !document.isClosed && this.check(document), TYPING_PAUSE_MS);
    this.timers.set(document.uri.toString(), timer);
  }

  private configSchema(): object {
    this.schema ??= JSON.parse(fs.readFileSync(this.configSchemaPath, 'utf8')) as object;
    return this.schema;
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.diagnostics.dispose();
  }
}

/** The base config as the user sees it: an open editor's text, else the file. */
function textAsEdited(file: string): string {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  return open ? open.getText() : fs.readFileSync(file, 'utf8');
}
