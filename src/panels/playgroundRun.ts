// One playground sampling: G completions from each chosen checkpoint, scored by the
// trainer's reward functions, with group-normalised advantages per checkpoint.

import * as vscode from 'vscode';
import type { PlaygroundGroup, PlaygroundResult, PlaygroundSettings } from '../contract/playground';
import { groupAdvantages, mean, sampleStd, type ScaleRewards } from '../grpo/advantages';
import type { InferenceClient } from '../inference/client';
import { runConfig } from '../inference/exports';
import { checkpointLabel, sampleCompletions } from '../inference/playground';
import { findInterpreter } from '../trainer/interpreter';
import { scoreWithTrainer } from './playgroundScoring';

export interface PlaygroundDeps {
  client: InferenceClient;
  maxModelMB(): number;
  /** The extension's folder: trainer/ inside it holds grpo_lens. */
  extensionPath: string;
}

export interface PlaygroundRequest {
  runDir: string;
  checkpoints: string[];
  prompt: string;
  reference?: string;
  settings: PlaygroundSettings;
}

export const UNTRUSTED_SCORING =
  'Rewards need a trusted workspace: GRPO Lens runs the trainer’s reward functions with Python only when the workspace is trusted. Completions are shown unscored.';

export async function runPlayground(
  deps: PlaygroundDeps,
  request: PlaygroundRequest,
): Promise<PlaygroundResult> {
  const config = await runConfig(request.runDir);
  const groups: PlaygroundGroup[] = [];
  for (const dir of request.checkpoints) {
    const start = Date.now();
    const completions = await sampleCompletions(deps.client, {
      runDir: request.runDir,
      checkpointDir: dir,
      prompt: request.prompt,
      settings: request.settings,
      maxModelMB: deps.maxModelMB(),
    });
    groups.push({
      checkpoint: { label: checkpointLabel(dir), dir },
      completions,
      sampleMs: Date.now() - start,
    });
  }
  await scoreGroups(deps, config, request, groups);
  return { prompt: request.prompt, reference: request.reference, groups };
}

async function scoreGroups(
  deps: PlaygroundDeps,
  config: Record<string, unknown>,
  request: PlaygroundRequest,
  groups: PlaygroundGroup[],
): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    groups.forEach((g) => (g.scoreError = UNTRUSTED_SCORING));
    return;
  }
  const python = (await findInterpreter(vscode.Uri.file(request.runDir))).path;
  const scale = (config.scale_rewards as ScaleRewards | undefined) ?? 'group';
  for (const group of groups) {
    try {
      const scored = await scoreWithTrainer({
        python,
        trainerDir: `${deps.extensionPath}/trainer`,
        config,
        prompt: request.prompt,
        reference: request.reference,
        completions: group.completions.map((c) => c.text),
      });
      // One group per checkpoint, so "batch" scaling is the group's own std here.
      const [advantages] = groupAdvantages([scored.rewards], scale === 'none' ? 'none' : 'group');
      group.completions.forEach((c, i) => {
        c.reward = scored.rewards[i];
        c.rewards = scored.components[i];
        c.advantage = advantages[i];
      });
      group.meanReward = mean(scored.rewards);
      group.rewardStd = sampleStd(scored.rewards);
    } catch (err) {
      group.scoreError = (err as Error).message;
    }
  }
}
