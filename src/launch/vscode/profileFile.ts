// The workspace's launch profiles, .vscode/grpo-lens.json in each workspace folder:
// read and checked against the schema we ship; problems are diagnostics in the editor
// (kept current while the file is edited) and no profile of a broken file is offered.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  checkProfilesText,
  loadSchema,
  PROFILES_FILE,
  type LaunchProfile,
  type ProfilesCheck,
} from '../profiles';

export interface WorkspaceProfile {
  profile: LaunchProfile;
  folder: vscode.WorkspaceFolder;
}

export interface ProfilesRead {
  profiles: WorkspaceProfile[];
  /** Files with problems (their diagnostics are set), with the first problem's words. */
  broken: { uri: vscode.Uri; count: number; first: string }[];
}

export class ProfileChecker implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('grpoLens.profiles');
  private schema: object | undefined;

  constructor(private readonly schemaPath: string) {}

  /** Every profile of every workspace folder: the editor's text where it has unsaved changes. */
  read(): ProfilesRead {
    const result: ProfilesRead = { profiles: [], broken: [] };
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.file(path.join(folder.uri.fsPath, PROFILES_FILE));
      if (!fs.existsSync(uri.fsPath)) continue;
      const { profiles, problems } = this.checkText(uri, textOf(uri));
      if (problems.length > 0)
        result.broken.push({ uri, count: problems.length, first: problems[0].message });
      result.profiles.push(...profiles.map((profile) => ({ profile, folder })));
    }
    return result;
  }

  check(document: vscode.TextDocument): ProfilesCheck {
    return this.checkText(document.uri, document.getText());
  }

  private checkText(uri: vscode.Uri, text: string): ProfilesCheck {
    const checked = checkProfilesText(text, (this.schema ??= loadSchema(this.schemaPath)));
    this.diagnostics.set(
      uri,
      checked.problems.map((p) => {
        const range = new vscode.Range(positionAt(text, p.offset), positionAt(text, p.offset + p.length));
        const diagnostic = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'GRPO Lens';
        return diagnostic;
      }),
    );
    return checked;
  }

  watch(): vscode.Disposable[] {
    const isProfiles = (d: vscode.TextDocument) =>
      d.uri.scheme === 'file' && d.uri.fsPath.endsWith(PROFILES_FILE);
    vscode.workspace.textDocuments.filter(isProfiles).forEach((d) => this.check(d));
    return [
      vscode.workspace.onDidOpenTextDocument((d) => isProfiles(d) && this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => isProfiles(e.document) && this.check(e.document)),
    ];
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

/** The text being edited where the file is open with unsaved changes, else the file on disk. */
function textOf(uri: vscode.Uri): string {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath && d.isDirty);
  return open ? open.getText() : fs.readFileSync(uri.fsPath, 'utf8');
}

function positionAt(text: string, offset: number): vscode.Position {
  const lines = text.slice(0, offset).split('\n');
  return new vscode.Position(lines.length - 1, lines[lines.length - 1].length);
}
