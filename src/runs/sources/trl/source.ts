// TRL (and Unsloth, which writes the same files) as a source: an output_dir with
// completions Parquet files, trainer_state.json, checkpoints and TensorBoard events
// (metrics from the events when there are any: they are written every logging step,
// trainer_state.json only at checkpoints; the config from the events' "args" text).
import { FeedRun } from '../feedRun';
import type { RunSource } from '../source';
import { eventsMetricFeed } from '../tensorboard/feed';
import { readTextSummaries } from '../tensorboard/texts';
import { findTrlRuns, parseTrainingArgs, TRL_NAMES, TRL_PREFIXES, trlParts } from './index';

async function trainingArgs(logdirs: string[]): Promise<Record<string, unknown> | undefined> {
  const [args] = await readTextSummaries(logdirs.slice(-1), 'args', { first: true, headBytes: 1 << 20 });
  return parseTrainingArgs(args?.text);
}

export const trlSource: RunSource = {
  kind: 'trl',
  label: 'TRL',
  find: findTrlRuns,
  open: (run) =>
    new FeedRun(run, 'TRL', () =>
      trlParts(run, {
        eventsFeed: (logdirs) => eventsMetricFeed(logdirs, TRL_NAMES, TRL_PREFIXES),
        trainingArgs,
      }),
    ),
};
