// Wires inference into the extension: the worker-backed client (started on first use),
// the TokenDetailProvider that src/inspect asks for, the inspection checkpoint choice, and
// the playground command.

import * as vscode from 'vscode';
import { COMPLETION_SCHEME, decodeAddress } from '../inspect/completionUri';
import { checkpointPickItems } from '../inspect/hover';
import {
  getInspectionCheckpoint,
  getTokenDetailProvider,
  setInspectionCheckpoint,
  setTokenDetailProvider,
  type CheckpointChoice,
} from '../inspect/tokenDetails';
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
    vscode.commands.registerCommand('grpoLens.chooseInspectionCheckpoint', (args?: ChooseArgs) =>
      chooseInspectionCheckpoint(context, args),
    ),
    vscode.commands.registerCommand('grpoLens.sampleFromCheckpoint', (args?: PlaygroundArgs) =>
      sampleFromCheckpoint(context.extensionUri, deps, args),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('grpoLens.inference')) client.configure(readSettings());
    }),
  );
  return client;
}

/** Tests and other commands: `{ runDir, choice }` sets the choice without a quick pick. */
interface ChooseArgs {
  runDir?: string;
  choice?: CheckpointChoice;
}

/**
 * GRPO: Choose Inspection Checkpoint… — which checkpoint the inspection hovers and the
 * "moved from reference" measure use for the run of the active inspected completion (or
 * args.runDir), remembered per run for the session. Returns the choice.
 */
async function chooseInspectionCheckpoint(
  context: vscode.ExtensionContext,
  args?: ChooseArgs,
): Promise<CheckpointChoice | undefined> {
  const uri = vscode.window.activeTextEditor?.document.uri;
  const address = uri?.scheme === COMPLETION_SCHEME ? decodeAddress(uri.query) : undefined;
  const runDir = args?.runDir ?? address?.runId; // a run's id is its directory
  const provider = getTokenDetailProvider();
  if (!runDir || !provider) {
    void vscode.window.showInformationMessage(
      provider
        ? 'GRPO Lens: open a completion with Inspect Completion first.'
        : 'GRPO Lens: token inspection with a model is not available here.',
    );
    return undefined;
  }
  const exported = await provider.checkpoints(runDir);
  let choice = args?.choice;
  if (choice === undefined) {
    if (exported.length === 0) {
      void vscode.window.showInformationMessage(
        'GRPO Lens: this run has no checkpoint with an ONNX export yet.',
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      checkpointPickItems(exported, getInspectionCheckpoint(runDir)),
      { title: 'Inspect tokens under checkpoint' },
    );
    if (!picked) return undefined;
    choice = picked.choice;
  }
  setInspectionCheckpoint(runDir, choice);
  // colours by "moved from reference" follow the new checkpoint: re-apply the measure
  const measure = context.workspaceState.get<string>('grpoLens.tokenMeasure');
  if (measure === 'movedFromReference')
    await vscode.commands.executeCommand('grpoLens.chooseTokenMeasure', measure);
  return choice;
}
