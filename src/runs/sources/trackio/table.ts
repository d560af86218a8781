// TRL's completions table -> sample groups. GRPOTrainer.log builds it from _logs: one
// row per completion, in generation order, where the G completions of a prompt are
// consecutive (RepeatSampler). Reward columns hold each reward function's unweighted
// value (NaN, stored as "NaN", when a function returned None); the total reward is
// TRL's: the nansum of the weighted values.
import { groupAdvantages } from '../../../grpo/advantages';
import type { Completion, SampleGroup } from '../../model';

const NOT_REWARDS = new Set(['step', 'prompt', 'completion', 'advantage', 'image']);

export interface RewardColumns {
  /** Reward function names (TRL's rewards/<name>/mean), in the trainer's order. */
  names: string[];
  /** The config's reward_weights, in the same order; 1 each when absent. */
  weights?: number[];
}

export function tableGroups(
  step: number,
  rows: Record<string, unknown>[],
  rewards: RewardColumns,
  firstGroup = 0,
): SampleGroup[] {
  const names = rewardColumns(rows, rewards.names);
  const weights = rewards.weights?.length === names.length ? rewards.weights : names.map(() => 1);
  const groups: SampleGroup[] = [];
  for (const run of consecutiveByPrompt(rows)) {
    const completions = run.map((row) => completion(row, names, weights));
    fillMissingAdvantages(completions);
    groups.push({ step, group: firstGroup + groups.length, prompt: asText(run[0].prompt), completions });
  }
  return groups;
}

/** The run's reward function names when known, else every numeric column but the known ones. */
function rewardColumns(rows: Record<string, unknown>[], known: string[]): string[] {
  const columns = new Set(rows.flatMap((r) => Object.keys(r ?? {})));
  const named = known.filter((n) => columns.has(n));
  if (named.length) return named;
  return [...columns].filter((c) => !NOT_REWARDS.has(c) && rows.some((r) => typeof r[c] === 'number'));
}

function consecutiveByPrompt(rows: Record<string, unknown>[]): Record<string, unknown>[][] {
  const runs: Record<string, unknown>[][] = [];
  for (const row of rows) {
    if (!row || typeof row !== 'object') continue;
    const current = runs[runs.length - 1];
    if (current && current[0].prompt === row.prompt) current.push(row);
    else runs.push([row]);
  }
  return runs;
}

function completion(row: Record<string, unknown>, names: string[], weights: number[]): Completion {
  const rewards: Record<string, number> = {};
  let reward = 0;
  names.forEach((name, i) => {
    const value = row[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    rewards[name] = value;
    reward += value * weights[i];
  });
  const advantage = row.advantage;
  return {
    text: asText(row.completion),
    reward,
    rewards,
    advantage: typeof advantage === 'number' ? advantage : NaN,
    // TRL's table has no token counts or truncation: left out, not guessed.
  };
}

/** A table without an advantage column (another trainer's): GRPO Lens computes them. */
function fillMissingAdvantages(completions: Completion[]): void {
  if (completions.every((c) => Number.isFinite(c.advantage))) return;
  const [computed] = groupAdvantages([completions.map((c) => c.reward)]);
  completions.forEach((c, i) => {
    c.advantage = computed[i];
    c.advantage_computed = true;
  });
}

/** Text of a prompt or completion: a string, or a conversation's contents. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value
      .map((m) => (m && typeof m === 'object' && 'content' in m ? asText(m.content) : asText(m)))
      .join('\n');
  }
  return value === undefined || value === null ? '' : JSON.stringify(value);
}
