// Wires the queue: its file, runner, view, sweep diagnostics and commands.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/deps';
import { SweepChecker } from '../sweep/sweepDiagnostics';
import { queueActions, queueRuns, queueSweep, type QueueDeps } from './commands';
import { QueueRunner } from './runner';
import { QueueTreeProvider } from './tree';

export interface QueueApi extends QueueDeps {
  tree: QueueTreeProvider;
}

/**
 * The queue file: <first workspace folder>/.grpo-lens/queue.json, found again by the next
 * window on this folder (after a reload, or VS Code closed and opened again); without a
 * folder, VS Code's storage of the extension.
 */
export function queueFileOf(context: vscode.ExtensionContext): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return folder
    ? path.join(folder, '.grpo-lens', 'queue.json')
    : path.join(context.globalStorageUri.fsPath, 'queue.json');
}

export function registerQueue(
  context: vscode.ExtensionContext,
  deps: CommandDeps,
  guarded: (id: string, run: () => unknown) => unknown,
): QueueApi {
  const sweeps = new SweepChecker(
    context.asAbsolutePath(path.join('trainer', 'grpo_lens', 'config.schema.json')),
  );
  const queue = new QueueRunner(queueFileOf(context), deps);
  const tree = new QueueTreeProvider(queue);
  const api: QueueApi = { queue, sweeps, tree };
  const commands: Record<string, (arg: never) => unknown> = {
    'grpoLens.queueRuns': () => queueRuns(api),
    'grpoLens.queueSweep': (arg: unknown) => queueSweep(api, arg),
    ...queueActions(api),
  };
  context.subscriptions.push(
    sweeps,
    ...sweeps.watch(),
    queue,
    tree,
    vscode.window.createTreeView('grpoLens.queue', { treeDataProvider: tree }),
    ...Object.entries(commands).map(([id, run]) =>
      vscode.commands.registerCommand(id, (arg: never) => guarded(id, () => run(arg))),
    ),
  );
  return api;
}
