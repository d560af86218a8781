// Finding a Python that can import torch, and saying plainly what to do if none can.
import * as vscode from 'vscode';
import { findInterpreter } from './interpreter';
import { checkTorch } from './torchCheck';

const INSTALL_TORCH_URL = 'https://pytorch.org/get-started/locally/';

/** The interpreter path, or undefined after telling the user why it cannot be used. */
export async function pythonWithTorch(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const interpreter = await findInterpreter(resource);
  const torch = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `GRPO Lens: checking ${interpreter.path} for torch` },
    () => checkTorch(interpreter.path),
  );
  if (torch.ok) return interpreter.path;
  const source = interpreter.source === 'default' ? 'the default' : `from ${interpreter.source}`;
  void vscode.window
    .showErrorMessage(
      `GRPO Lens needs PyTorch to train. It tried the Python interpreter ${interpreter.path} (${source}): ${torch.detail} ` +
        'Select an interpreter that has torch (Python extension or the grpoLens.pythonPath setting), or install torch into this one.',
      'Set grpoLens.pythonPath',
      'Show how to install torch',
    )
    .then(offerFix);
  return undefined;
}

async function offerFix(choice: string | undefined): Promise<void> {
  if (choice === 'Set grpoLens.pythonPath') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'grpoLens.pythonPath');
  } else if (choice === 'Show how to install torch') {
    await vscode.env.openExternal(vscode.Uri.parse(INSTALL_TORCH_URL));
  }
}
