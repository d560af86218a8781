// A TRL run's GRPOConfig. TRL saves it only as checkpoint-N/training_args.bin (a torch
// pickle) and, through transformers' TensorBoardCallback, as the text summary "args"
// (args.to_json_string()) in the event files. The events reader is another module, so
// the reading is passed in; what we take from the config is read here.
import type { ScaleRewards } from '../../../grpo/advantages';
import type { GroupingHints } from './groups';
import { parsePythonJson } from './pythonJson';
import type { TrainerStateCache } from './trainerState';

export type ReadTrainingArgs = () => Promise<Record<string, unknown> | undefined>;

const RETRY_MS = 30_000;

/**
 * The "args" text summary (TrainingArguments.to_json_string(): json.dumps(to_dict(), indent=2))
 * as an object; undefined when it is missing or not a JSON object.
 */
export function parseTrainingArgs(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = parsePythonJson(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The config once found; looked for again at most every RETRY_MS while missing (event files are not small). */
export function cachedConfig(read: ReadTrainingArgs | undefined): ReadTrainingArgs {
  let found: Record<string, unknown> | undefined;
  let lastTry = -Infinity;
  return async () => {
    if (found || !read || Date.now() - lastTry < RETRY_MS) return found;
    lastTry = Date.now();
    found = await read().catch(() => undefined);
    return found;
  };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function numbers(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : undefined;
}

/** GRPOConfig.scale_rewards: "group" | "batch" | "none", or the older True / False. */
function scaleRewards(value: unknown): ScaleRewards | undefined {
  if (value === true) return 'group';
  if (value === false) return 'none';
  return value === 'group' || value === 'batch' || value === 'none' ? value : undefined;
}

/** Reward function names in log_history keys: `rewards/<name>/mean` (TRL >= 0.19) or `rewards/<name>`. */
export function rewardNamesIn(history: readonly Record<string, unknown>[]): Set<string> {
  const names = new Set<string>();
  const pattern = /^rewards\/([^/]+)(?:\/mean)?$/;
  for (const entry of history) {
    for (const key of Object.keys(entry)) {
      const match = pattern.exec(key);
      if (match) names.add(match[1]);
    }
  }
  return names;
}

export async function groupingHints(
  states: TrainerStateCache,
  config: ReadTrainingArgs,
): Promise<GroupingHints> {
  const args = (await config()) ?? {};
  const history = (await states.newest())?.state?.logHistory ?? [];
  return {
    numGenerations: positiveInteger(args.num_generations),
    rewardNames: rewardNamesIn(history),
    rewardWeights: numbers(args.reward_weights),
    scaleRewards: scaleRewards(args.scale_rewards),
  };
}
