// Turns logged sample groups into what the samples panel shows: long texts cut for
// transport (the editor opens the full text), token arrays left on the host, reward
// spread computed. Pure.
import type { CompletionView, GroupView } from '../contract/messages';
import { sampleStd } from '../grpo/advantages';
import type { Completion, EnvironmentBoard, SampleGroup } from '../runs/model';
import { toGameView } from './gameView';

export const TEXT_LIMIT = 20_000;

function cut(text: unknown): { text: string; fullLength?: number } {
  const s = typeof text === 'string' ? text : String(text ?? '');
  return s.length > TEXT_LIMIT ? { text: s.slice(0, TEXT_LIMIT), fullLength: s.length } : { text: s };
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** The std the advantages divide by: the sample std (trainer/grpo_lens/grpo.py, torch.std). */
export function rewardStd(rewards: number[]): number {
  return sampleStd(rewards);
}

function numericRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'number') out[k] = v;
  return out;
}

export function toCompletionView(
  c: Completion,
  index: number,
  environment?: EnvironmentBoard,
): CompletionView {
  const { text, fullLength } = cut(c.text);
  return {
    index,
    text,
    fullLength,
    reward: num(c.reward),
    rewards: numericRecord(c.rewards),
    advantage: num(c.advantage),
    advantageComputed: c.advantage_computed === true ? true : undefined,
    numTokens: typeof c.num_tokens === 'number' && Number.isFinite(c.num_tokens) ? c.num_tokens : undefined,
    truncated: c.truncated === true,
    hasTokens: Array.isArray(c.tokens) && c.tokens.length > 0,
    game: toGameView(environment, c),
  };
}

export function toGroupView(g: SampleGroup): GroupView {
  const completions = (Array.isArray(g.completions) ? g.completions : []).map((c, i) =>
    toCompletionView(c, i, g.environment),
  );
  const std = rewardStd(completions.map((c) => c.reward));
  const prompt = cut(g.prompt);
  return {
    step: g.step,
    group: g.group,
    prompt: prompt.text,
    promptFullLength: prompt.fullLength,
    reference: typeof g.reference === 'string' ? cut(g.reference).text : undefined,
    rewardStd: std,
    zeroStd: completions.length > 1 && std < 1e-9,
    completions,
  };
}
