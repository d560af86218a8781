// TRL's completions table, as Trackio stores it (a `trackio.table` value), -> sample groups.
// It is the same DataFrame TRL writes to completions_*.parquet, so the TRL source's
// grouping reads it: num_generations consecutive rows with the same prompt, reward columns
// weighted and summed as TRL sums them, advantages as logged (computed when absent).
import type { SampleGroup } from '../../model';
import type { CompletionsTable } from '../trl/completionsFile';
import { completionGroups } from '../trl/groups';

const NOT_REWARDS = new Set(['step', 'prompt', 'completion', 'advantage', 'image']);

export interface RewardColumns {
  /** Reward function names (TRL's rewards/<name>/mean), in the trainer's order. */
  names: string[];
  /** The config's reward_weights, in the same order; 1 each when absent. */
  weights?: number[];
  /** The config's num_generations, when known: the group size. */
  numGenerations?: number;
}

export function tableGroups(
  step: number,
  rows: Record<string, unknown>[],
  rewards: RewardColumns,
  firstGroup = 0,
): SampleGroup[] {
  const table = asCompletionsTable(rows.map(withTextCells));
  const groups = completionGroups(step, table, {
    rewardNames: new Set(rewards.names),
    rewardWeights: rewards.weights,
    numGenerations: rewards.numGenerations,
  });
  return groups.map((g) => ({ ...g, group: firstGroup + g.group }));
}

/** Rows as a table: columns in first-seen order; numeric columns (rewards among them) by their values. */
function asCompletionsTable(rows: Record<string, unknown>[]): CompletionsTable {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const numeric = columns.filter((c) => !NOT_REWARDS.has(c) && rows.some((r) => typeof r[c] === 'number'));
  return { columns, floatColumns: new Set(numeric), rows };
}

/** Prompt and completion as text (a conversation: its messages' contents); non-objects dropped. */
function withTextCells(row: unknown): Record<string, unknown> {
  if (!row || typeof row !== 'object') return {};
  const r = row as Record<string, unknown>;
  return { ...r, prompt: asText(r.prompt), completion: asText(r.completion) };
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value
      .map((m) => (m && typeof m === 'object' && 'content' in m ? asText(m.content) : asText(m)))
      .join('\n');
  }
  return value === undefined || value === null ? '' : JSON.stringify(value);
}
