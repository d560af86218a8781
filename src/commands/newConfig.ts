// GRPO: New Config from Template… — writes a commented starter config and opens it.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { STARTER_CONFIG } from '../trainer/template';

/** Creates <folder>/<name>.grpo.json (never overwriting) and opens it; returns its Uri. */
export async function createConfigFromTemplate(arg: unknown): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('GRPO Lens: open a folder first; the config is saved in it.');
    return undefined;
  }
  const name = typeof arg === 'string' ? arg : await askName();
  if (!name) return undefined;
  const file = freeName(path.join(folder.uri.fsPath, `${name.replace(/\.grpo\.json$/, '')}.grpo.json`));
  await fs.promises.writeFile(
    file,
    STARTER_CONFIG.replace('"my-run"', JSON.stringify(path.basename(file, '.grpo.json'))),
  );
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri);
  return uri;
}

function askName(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'GRPO: New Config from Template',
    prompt: 'Name of the config (saved as <name>.grpo.json in the workspace folder)',
    value: 'my-run',
    validateInput: (v) => (/^[A-Za-z0-9_.-]+$/.test(v) ? undefined : 'Use letters, digits, ".", "_" or "-".'),
  });
}

function freeName(file: string): string {
  let candidate = file;
  for (let i = 2; fs.existsSync(candidate); i++) candidate = file.replace(/\.grpo\.json$/, `-${i}.grpo.json`);
  return candidate;
}
