// GRPO: New Config from Template… — asks what to start from (the CPU demo, a Hugging Face
// model on a GPU, or a run another trainer already wrote), writes a commented config and
// opens it; the third choice opens a run folder instead of writing anything.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_TEMPLATES, ConfigTemplate, STARTER_CONFIG } from '../trainer/template';

interface Choice extends vscode.QuickPickItem {
  template?: ConfigTemplate;
}

const READ_RUN_FOLDER: Choice = {
  label: 'Read a TRL or verl run folder',
  detail: 'No config: open the output folder of a run another trainer wrote (TRL, verl, TensorBoard…).',
  iconPath: new vscode.ThemeIcon('folder-opened'),
};

/**
 * Creates <folder>/<name>.grpo.json (never overwriting) and opens it; returns its Uri.
 * A string argument is the name and means the CPU demo (how tests and scripts call it).
 */
export async function createConfigFromTemplate(arg: unknown): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('GRPO Lens: open a folder first; the config is saved in it.');
    return undefined;
  }
  let text = STARTER_CONFIG;
  if (typeof arg !== 'string') {
    const choice = await askTemplate();
    if (!choice) return undefined;
    if (!choice.template) {
      await vscode.commands.executeCommand('grpoLens.openRunFolder');
      return undefined;
    }
    text = choice.template.text;
  }
  const name = typeof arg === 'string' ? arg : await askName();
  if (!name) return undefined;
  const file = freeName(path.join(folder.uri.fsPath, `${name.replace(/\.grpo\.json$/, '')}.grpo.json`));
  await fs.promises.writeFile(
    file,
    text.replace('"my-run"', JSON.stringify(path.basename(file, '.grpo.json'))),
  );
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri);
  return uri;
}

function askTemplate(): Thenable<Choice | undefined> {
  const items: Choice[] = [
    ...CONFIG_TEMPLATES.map((template) => ({
      label: template.label,
      detail: template.detail,
      iconPath: new vscode.ThemeIcon('new-file'),
      template,
    })),
    READ_RUN_FOLDER,
  ];
  return vscode.window.showQuickPick(items, {
    title: 'GRPO: New Config from Template',
    placeHolder: 'What do you want to start from?',
    // Run from the walkthrough, the page redraws its ticked step and takes the focus.
    ignoreFocusOut: true,
  });
}

function askName(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'GRPO: New Config from Template',
    prompt: 'Name of the config (saved as <name>.grpo.json in the workspace folder)',
    value: 'my-run',
    ignoreFocusOut: true,
    validateInput: (v) => (/^[A-Za-z0-9_.-]+$/.test(v) ? undefined : 'Use letters, digits, ".", "_" or "-".'),
  });
}

function freeName(file: string): string {
  let candidate = file;
  for (let i = 2; fs.existsSync(candidate); i++) candidate = file.replace(/\.grpo\.json$/, `-${i}.grpo.json`);
  return candidate;
}
