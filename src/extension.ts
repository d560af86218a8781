// Wiring only: each concern registers itself; heavy work loads lazily.
import * as vscode from 'vscode';
import { registerInference } from './inference/register';
import { registerRuns, RunsApi } from './commands/register';
import { registerDoctor, type DoctorApi } from './doctor/vscode/register';
import { registerWebviews } from './panels/register';
import { registerWalkthrough } from './walkthrough/register';

export function activate(context: vscode.ExtensionContext): {
  activatedAt: number;
  activationMs: number;
  runs: RunsApi;
  doctor: DoctorApi;
} {
  const activatedAt = Date.now();
  const log = vscode.window.createOutputChannel('GRPO Lens', { log: true });
  context.subscriptions.push(log);
  const runs = registerRuns(context, log);
  registerInference(context, log);
  registerWebviews(context, runs);
  const doctor = registerDoctor(context, runs, log);
  registerWalkthrough(context);
  const activationMs = Date.now() - activatedAt;
  log.info(`GRPO Lens activated in ${activationMs} ms`);
  return { activatedAt, activationMs, runs, doctor };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
