// "GRPO: Sample from Checkpoint…": pick a run, one checkpoint (or two to compare) and a
// prompt (typed, or one from the run's samples), then open the playground and sample.
// Tests pass the picks as an argument and get the scored groups back.

import * as path from 'path';
import * as vscode from 'vscode';
import {
  DEFAULT_PLAYGROUND_SETTINGS,
  type PlaygroundResult,
  type PlaygroundSettings,
} from '../contract/playground';
import { exportedCheckpoints, runConfig } from '../inference/exports';
import { visibleText } from '../contract/visibleText';
import { checkpointLabel } from '../inference/playground';
import { runLabel } from '../views/runLabel';
import { PLAYGROUND_VIEW_TYPE, PlaygroundPanel } from './playgroundPanel';
import type { PlaygroundDeps } from './playgroundRun';
import { recentPrompts, runsWithExports } from './playgroundSources';

export interface PlaygroundArgs {
  runDir?: string;
  checkpoints?: string[];
  prompt?: string;
  reference?: string;
  settings?: Partial<PlaygroundSettings>;
}

/** The open playground, for tests. */
export let currentPlayground: PlaygroundPanel | undefined;

export async function sampleFromCheckpoint(
  extensionUri: vscode.Uri,
  deps: PlaygroundDeps,
  args: PlaygroundArgs = {},
): Promise<PlaygroundResult | undefined> {
  const runDir = args.runDir ?? (await pickRun());
  if (!runDir) return undefined;
  const exported = await exportedCheckpoints(runDir);
  if (exported.length === 0) {
    void vscode.window.showWarningMessage(
      `GRPO Lens: run ${path.basename(runDir)} has no ONNX export, so there is no model to sample from. Checkpoints carry policy.onnx when the config's "export_onnx" is on (the default for the tiny model).`,
    );
    return undefined;
  }
  const checkpoints = args.checkpoints ?? (await pickCheckpoints(exported.map((c) => c.dir)));
  if (!checkpoints?.length) return undefined;
  const prompts = await recentPrompts(runDir);
  const picked =
    args.prompt !== undefined
      ? { prompt: args.prompt, reference: args.reference }
      : await pickPrompt(prompts);
  if (!picked) return undefined;
  const settings = {
    ...DEFAULT_PLAYGROUND_SETTINGS,
    ...trainingSettings(await runConfig(runDir)),
    ...args.settings,
  };
  const panel = vscode.window.createWebviewPanel(
    PLAYGROUND_VIEW_TYPE,
    `${runLabel({ dir: runDir })} · Playground`,
    vscode.ViewColumn.Active,
    { enableScripts: true, retainContextWhenHidden: true },
  );
  currentPlayground?.panel.dispose();
  const playground = new PlaygroundPanel(
    panel,
    deps,
    runDir,
    {
      runName: runLabel({ dir: runDir }),
      checkpoints: exported.map((c) => ({ label: checkpointLabel(c.dir), dir: c.dir })),
      selected: checkpoints,
      prompts,
      prompt: picked.prompt,
      reference: picked.reference,
      settings,
    },
    extensionUri,
  );
  currentPlayground = playground;
  panel.onDidDispose(() => currentPlayground === playground && (currentPlayground = undefined));
  return playground
    .sample({ prompt: picked.prompt, reference: picked.reference, checkpoints, settings })
    .catch(() => undefined);
}

/** The run's own sampling settings (G, temperature, top_p, max tokens), like a training step. */
function trainingSettings(config: Record<string, unknown>): Partial<PlaygroundSettings> {
  const pick = (key: string) => (typeof config[key] === 'number' ? (config[key] as number) : undefined);
  const settings: Partial<PlaygroundSettings> = {
    count: pick('num_generations'),
    temperature: pick('temperature'),
    topP: pick('top_p'),
    maxTokens: pick('max_completion_length'),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

async function pickRun(): Promise<string | undefined> {
  const runs = await runsWithExports();
  if (runs.length === 0) {
    void vscode.window.showWarningMessage(
      'GRPO Lens: no run in this workspace has an ONNX export yet. Start a run (exports come with each checkpoint) or save a checkpoint of a running one.',
    );
    return undefined;
  }
  if (runs.length === 1) return runs[0];
  const pick = await vscode.window.showQuickPick(
    runs.map((dir) => ({ label: runLabel({ dir }), description: visibleText(path.dirname(dir)), dir })),
    { title: 'Sample from Checkpoint: run' },
  );
  return pick?.dir;
}

async function pickCheckpoints(dirs: string[]): Promise<string[] | undefined> {
  if (dirs.length === 1) return dirs;
  const items = dirs
    .slice()
    .reverse()
    .map((dir, i) => ({ label: checkpointLabel(dir), dir, picked: i === 0 }));
  const picks = await vscode.window.showQuickPick(items, {
    title: 'Sample from Checkpoint: one checkpoint, or two to compare side by side',
    canPickMany: true,
  });
  return picks?.slice(0, 2).map((p) => p.dir);
}

async function pickPrompt(
  prompts: { prompt: string; reference?: string }[],
): Promise<{ prompt: string; reference?: string } | undefined> {
  const typeOwn = {
    label: '$(edit) Type a prompt…',
    prompt: undefined as string | undefined,
    reference: undefined as string | undefined,
  };
  const items = [
    typeOwn,
    ...prompts.map((p) => ({
      ...p,
      label: visibleText(p.prompt),
      description: p.reference && `→ ${visibleText(p.reference)}`,
    })),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Sample from Checkpoint: prompt (from the run’s samples)',
  });
  if (!pick) return undefined;
  if (pick.prompt !== undefined) return { prompt: pick.prompt, reference: pick.reference };
  const prompt = await vscode.window.showInputBox({ title: 'Prompt', placeHolder: 'e.g. 3+4=' });
  if (prompt === undefined) return undefined;
  const reference = await vscode.window.showInputBox({
    title: 'Reference answer (optional, for the accuracy reward)',
  });
  return { prompt, reference: reference || undefined };
}
