// A completions file as sample groups. TRL writes no group column: the trainer samples
// num_generations completions per prompt in a row (RepeatSampler) and groups them with
// `.view(-1, num_generations)`, so a group is num_generations consecutive rows with the
// same prompt. Two groups of the same prompt can sit next to each other; without the
// config, the group size is the greatest common divisor of the runs of equal prompts.
import { groupAdvantages, type ScaleRewards } from '../../../grpo/advantages';
import type { Completion, SampleGroup } from '../../model';
import type { CompletionsTable } from './completionsFile';

export interface GroupingHints {
  /** GRPOConfig.num_generations, when the run's config is known. */
  numGenerations?: number;
  /** Reward functions named in the metrics (`rewards/<name>/mean`): which float columns are rewards. */
  rewardNames?: ReadonlySet<string>;
  /** GRPOConfig.reward_weights, in reward function order (the file's column order). */
  rewardWeights?: readonly number[];
  /** GRPOConfig.scale_rewards, used only when the file has no advantage column. */
  scaleRewards?: ScaleRewards;
}

const NOT_REWARDS = new Set(['step', 'advantage']);

/** The reward columns, in file order: the named reward functions, else every float column but step and advantage. */
export function rewardColumns(table: CompletionsTable, hints: GroupingHints): string[] {
  const named = table.columns.filter((c) => hints.rewardNames?.has(c));
  if (named.length > 0) return named;
  return table.columns.filter((c) => table.floatColumns.has(c) && !NOT_REWARDS.has(c));
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

/**
 * Components and total of one row, as TRL sums them: weighted, skipping functions that
 * returned None (NaN, null in the file); NaN when none applied (TRL logs NaN too).
 */
export function scoreRow(
  row: Record<string, unknown>,
  columns: readonly string[],
  weights: readonly number[],
): { reward: number; rewards: Record<string, number> } {
  const rewards: Record<string, number> = {};
  let reward = Number.NaN;
  columns.forEach((column, i) => {
    const value = row[column];
    if (!finite(value)) return;
    rewards[column] = value;
    reward = (Number.isNaN(reward) ? 0 : reward) + weights[i] * value;
  });
  return { reward, rewards };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Lengths of the runs of equal consecutive prompts. */
export function promptRuns(prompts: readonly string[]): number[] {
  const runs: number[] = [];
  prompts.forEach((prompt, i) => {
    if (i > 0 && prompt === prompts[i - 1]) runs[runs.length - 1]++;
    else runs.push(1);
  });
  return runs;
}

/** Group sizes in row order: each run split into groups of `size` (a run that is no multiple stays whole). */
export function groupSizes(prompts: readonly string[], numGenerations?: number): number[] {
  const runs = promptRuns(prompts);
  const size = numGenerations ?? runs.reduce(gcd, 0);
  return runs.flatMap((run) => (size > 0 && run % size === 0 ? Array(run / size).fill(size) : [run]));
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

/** Advantages when the file has none (not written by TRL >= 0.28): computed as TRL does, unscored rows get 0. */
function computedAdvantages(rewardsByGroup: number[][], scale: ScaleRewards | undefined): number[][] {
  const scored = rewardsByGroup.map((rewards) => rewards.filter(finite));
  const advantages = groupAdvantages(scored, scale ?? 'group');
  return rewardsByGroup.map((rewards, g) => {
    let next = 0;
    return rewards.map((r) => (finite(r) ? advantages[g][next++] : 0));
  });
}

type ScoredRow = { row: Record<string, unknown>; reward: number; rewards: Record<string, number> };

/** Items cut into consecutive pieces of the given sizes. */
function cut<T>(items: readonly T[], sizes: readonly number[]): T[][] {
  let start = 0;
  return sizes.map((size) => items.slice(start, (start += size)));
}

function completion({ row, reward, rewards }: ScoredRow, computedAdvantage: number | undefined): Completion {
  const advantage = computedAdvantage ?? row.advantage;
  return {
    text: text(row.completion),
    reward,
    rewards,
    advantage: finite(advantage) ? advantage : Number.NaN,
    ...(computedAdvantage !== undefined ? { advantage_computed: true } : {}),
    // TRL logs neither token counts nor truncation: both are left out, not guessed.
  };
}

export function completionGroups(step: number, table: CompletionsTable, hints: GroupingHints): SampleGroup[] {
  const columns = rewardColumns(table, hints);
  const weights = hints.rewardWeights?.length === columns.length ? hints.rewardWeights : columns.map(() => 1);
  const rows = table.rows.map((row): ScoredRow => ({ row, ...scoreRow(row, columns, weights) }));
  const groups = cut(
    rows,
    groupSizes(
      rows.map((r) => text(r.row.prompt)),
      hints.numGenerations,
    ),
  );
  const computed = table.columns.includes('advantage')
    ? undefined
    : computedAdvantages(
        groups.map((members) => members.map((m) => m.reward)),
        hints.scaleRewards,
      );
  return groups.map((members, g) => ({
    step,
    group: g,
    prompt: text(members[0].row.prompt),
    completions: members.map((m, i) => completion(m, computed?.[g][i])),
  }));
}
