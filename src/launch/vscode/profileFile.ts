// The workspace's launch profiles, .vscode/grpo-lens.json in each workspace folder:
// read and checked against the schema we ship; problems are diagnostics in the editor
// (kept current while the file is edited) and no profile of a broken file is offered.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { checkProfilesText, loadSchema, PROFILES_FILE, type LaunchProfile } from '../profiles';

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

  /** Every profile of every workspace folder, from the editor's text where the file is open. */
  async read(): Promise<ProfilesRead> {
    const result: ProfilesRead = { profiles: [], broken: [] };
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.file(path.join(folder.uri.fsPath, PROFILES_FILE));
      if (!fs.existsSync(uri.fsPath)) continue;
      const document = await vscode.workspace.openTextDocument(uri);
      const { profiles, problems } = this.check(document);
      if (problems.length > 0)
        result.broken.push({ uri, count: problems.length, first: problems[0].message });
      result.profiles.push(...profiles.map((profile) => ({ profile, folder })));
    }
    return result;
  }

  check(document: vscode.TextDocument) {
    const checked = checkProfilesText(document.getText(), (this.schema ??= loadSchema(this.schemaPath)));
    this.diagnostics.set(
      document.uri,
      checked.problems.map((p) => {
        const range = new vscode.Range(
          document.positionAt(p.offset),
          document.positionAt(p.offset + p.length),
        );
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
