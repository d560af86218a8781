// The "Get started with GRPO Lens" walkthrough: opened by itself once, the first time the
// extension activates after install, and again whenever "GRPO: Get Started" asks for it.
import * as vscode from 'vscode';

/** <publisher>.<name>#<walkthrough id> from package.json's contributes.walkthroughs. */
export const WALKTHROUGH = 'grpo-lens.grpo-lens#getStarted';
/** Set once the walkthrough has opened by itself; it never does again. */
const SHOWN_KEY = 'grpoLens.walkthroughShown';

export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('grpoLens.getStarted', () => openWalkthrough()));
  if (shouldOpenByItself(context)) {
    // Set the flag first: a window that closes while the walkthrough opens must not
    // bring it back on every start.
    void context.globalState.update(SHOWN_KEY, true).then(() => openWalkthrough());
  }
}

function shouldOpenByItself(context: vscode.ExtensionContext): boolean {
  if (context.globalState.get<boolean>(SHOWN_KEY)) return false;
  // Integration tests run the extension in Test mode: a walkthrough there only hides
  // the editors they look at.
  if (context.extensionMode === vscode.ExtensionMode.Test) return false;
  // VS Code's own setting for "open an extension's walkthrough when it is installed".
  return vscode.workspace
    .getConfiguration('workbench.welcomePage')
    .get<boolean>('walkthroughs.openOnInstall', true);
}

function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
}
