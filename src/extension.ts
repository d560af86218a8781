// Wiring only: each concern registers itself; heavy work loads lazily.
import * as vscode from 'vscode';
import { registerInference } from './inference/register';

export function activate(context: vscode.ExtensionContext): { activatedAt: number } {
  const activatedAt = Date.now();
  const log = vscode.window.createOutputChannel('GRPO Lens', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(
    vscode.commands.registerCommand('grpoLens.refresh', () => log.info('refresh requested')),
  );
  registerInference(context, log);
  log.info(`GRPO Lens activated in ${Date.now() - activatedAt} ms`);
  return { activatedAt };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
