// Wires inference into the extension: the worker-backed client (started on first use),
// the TokenDetailProvider that src/inspect asks for, and the playground command.

import * as vscode from 'vscode';
import { setTokenDetailProvider } from '../inspect/tokenDetails';
import { sampleFromCheckpoint, type PlaygroundArgs } from '../panels/playgroundCommand';
import { InferenceClient } from './client';
import type { ExecutionProvider } from './protocol';
import { OnnxTokenDetailProvider } from './tokenDetailProvider';

interface Settings {
  executionProvider: ExecutionProvider;
  maxModelMB: number;
}

function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('grpoLens.inference');
  return {
    executionProvider: c.get<ExecutionProvider>('executionProvider', 'cpu') === 'cuda' ? 'cuda' : 'cpu',
    maxModelMB: c.get<number>('maxModelMB', 4096),
  };
}

export function registerInference(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): InferenceClient {
  const shown = new Set<string>();
  const tellOnce = (message: string) => {
    if (!shown.has(message)) void vscode.window.showWarningMessage(`GRPO Lens: ${message}`);
    shown.add(message);
  };
  const client = new InferenceClient({
    executionProvider: readSettings().executionProvider,
    cacheSize: 3,
    idleMs: 120_000,
    workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'inference.worker.js').fsPath,
    onNotice: (message) => {
      log.warn(message);
      tellOnce(message);
    },
  });
  const onError = (err: Error) => {
    log.error(`token details: ${err.message}`);
    tellOnce(err.message);
  };
  setTokenDetailProvider(new OnnxTokenDetailProvider(client, () => readSettings(), onError));
  const deps = {
    client,
    maxModelMB: () => readSettings().maxModelMB,
    extensionPath: context.extensionUri.fsPath,
  };
  context.subscriptions.push(
    client,
    { dispose: () => setTokenDetailProvider(undefined) },
    vscode.commands.registerCommand('grpoLens.sampleFromCheckpoint', (args?: PlaygroundArgs) =>
      sampleFromCheckpoint(context.extensionUri, deps, args),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('grpoLens.inference')) client.configure(readSettings());
    }),
  );
  return client;
}
