// Messages between the playground panel (src/panels/playgroundPanel.ts) and its webview
// (webview/playground). Re-exported from messages.ts with the other panels' contracts.

export interface PlaygroundSettings {
  /** G: completions per checkpoint. */
  count: number;
  temperature: number;
  topP: number;
  maxTokens: number;
  seed: number;
}

export interface PlaygroundCheckpoint {
  /** e.g. "step 40". */
  label: string;
  dir: string;
}

export interface PlaygroundCompletion {
  text: string;
  tokens: string[];
  /** Sampling-time log-prob of each token under the checkpoint's policy. */
  logprobs: number[];
  /** False when max tokens cut it before EOS. */
  finished: boolean;
  reward?: number;
  rewards?: Record<string, number>;
  advantage?: number;
}

/** The G completions one checkpoint gave for the prompt, grouped like a training step. */
export interface PlaygroundGroup {
  checkpoint: PlaygroundCheckpoint;
  completions: PlaygroundCompletion[];
  meanReward?: number;
  rewardStd?: number;
  /** Why rewards are missing (untrusted workspace, no Python…), when they are. */
  scoreError?: string;
  sampleMs: number;
}

export interface PlaygroundResult {
  prompt: string;
  reference?: string;
  groups: PlaygroundGroup[];
}

export interface PlaygroundInit {
  runName: string;
  checkpoints: PlaygroundCheckpoint[];
  /** Checkpoints picked for the first sampling: one, or two to compare. */
  selected: string[];
  /** Prompts from the run's samples, with their reference answers. */
  prompts: { prompt: string; reference?: string }[];
  prompt: string;
  reference?: string;
  settings: PlaygroundSettings;
}

export type PlaygroundToHost =
  | { type: 'ready' }
  | {
      type: 'sample';
      prompt: string;
      reference?: string;
      checkpoints: string[];
      settings: PlaygroundSettings;
    };

export type HostToPlayground =
  | { type: 'init'; init: PlaygroundInit }
  | { type: 'busy'; message: string }
  | { type: 'result'; result: PlaygroundResult }
  | { type: 'error'; message: string };

export const DEFAULT_PLAYGROUND_SETTINGS: PlaygroundSettings = {
  count: 4,
  temperature: 1,
  topP: 1,
  maxTokens: 16,
  seed: 0,
};

export function isPlaygroundToHost(m: unknown): m is PlaygroundToHost {
  const type = (m as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'sample';
}
