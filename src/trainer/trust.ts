// Starting a process from workspace files is refused in an untrusted workspace.
import * as vscode from 'vscode';

export function refuseIfUntrusted(action: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window
    .showErrorMessage(
      `GRPO Lens cannot ${action} in an untrusted workspace: training runs code named by the workspace's config ` +
        '(reward functions, models). Runs can still be viewed. Trust the workspace to start training.',
      'Manage Workspace Trust',
    )
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return true;
}
