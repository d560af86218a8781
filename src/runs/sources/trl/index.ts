// The TRL source (and Unsloth, which patches TRL's GRPOTrainer and writes the same
// files): an output_dir's metrics, completions, checkpoints and state as FeedParts.
import * as path from 'path';
import type { FeedParts, FoundRun, MetricFeed } from '../source';
import { CompletionsFeed } from './completionsFeed';
import { chosenOnFirstUse, trlEventsFeed } from './eventsFeed';
import { trlFacts } from './facts';
import { TrainerStateFeed } from './historyFeed';
import { COMPLETIONS_DIR, TRAINER_STATE, eventFiles, eventLogdirs, mtimeOf } from './layout';
import { cachedConfig, groupingHints } from './runConfig';
import { TrainerStateCache, newestStateFile } from './trainerState';

export { findTrlRuns, isTrlOutputDir } from './find';
export { TRL_NAMES, TRL_PREFIXES, finishTrlRow } from './names';
export { parseTrainingArgs } from './runConfig';

export interface TrlOptions {
  /** The TensorBoard events feed (mapping with TRL_NAMES, TRL_PREFIXES); used when runs/ has event files. */
  eventsFeed?: (logdirs: string[]) => MetricFeed;
  /** The "args" text summary of the event files, parsed (GRPOConfig as JSON): group size, reward weights. */
  trainingArgs?: (logdirs: string[]) => Promise<Record<string, unknown> | undefined>;
}

/** Newest write among the files a live TRL run touches (a new file changes its folder's time). */
async function lastWrite(dir: string): Promise<number | undefined> {
  const state = await newestStateFile(dir);
  const candidates = [dir, path.join(dir, COMPLETIONS_DIR), path.join(dir, TRAINER_STATE)];
  if (state) candidates.push(state.path);
  candidates.push(...(await eventFiles(await eventLogdirs(dir))));
  const times = (await Promise.all(candidates.map(mtimeOf))).filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}

export function trlParts(run: FoundRun, options: TrlOptions = {}): FeedParts {
  const dir = run.dir;
  const states = new TrainerStateCache(dir);
  const readArgs = options.trainingArgs;
  const config = cachedConfig(
    readArgs &&
      (async () => {
        const logdirs = await eventLogdirs(dir);
        return logdirs.length > 0 ? readArgs(logdirs) : undefined;
      }),
  );
  const metrics = chosenOnFirstUse(async () => {
    const logdirs = await eventLogdirs(dir);
    if (options.eventsFeed && logdirs.length > 0) return trlEventsFeed(options.eventsFeed(logdirs));
    return new TrainerStateFeed(states);
  });
  return {
    metrics,
    samples: new CompletionsFeed(dir, () => groupingHints(states, config)),
    facts: () => trlFacts(dir, states, config),
    lastWrite: () => lastWrite(dir),
    capabilities: { control: false, tokenDetails: false, resume: false },
  };
}
