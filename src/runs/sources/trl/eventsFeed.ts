// Metrics from TensorBoard event files when the run has them: transformers'
// TensorBoardCallback writes every log at once, while trainer_state.json only changes
// at checkpoints. The events reader maps tags with TRL_NAMES/TRL_PREFIXES; what a
// prefix rule cannot say (old reward names, the end-of-training summary) is finished here.
import type { MetricRow } from '../../model';
import type { MetricFeed, MetricPoll } from '../source';
import { finishTrlRow } from './names';

function finishRows(rows: readonly MetricRow[]): MetricRow[] {
  return rows.map(finishTrlRow).filter((row): row is MetricRow => row !== undefined);
}

function finishPoll(poll: MetricPoll): MetricPoll {
  return { ...poll, rows: finishRows(poll.rows) };
}

/** An events feed whose rows come out under TRL's canonical names. */
export function trlEventsFeed(events: MetricFeed): MetricFeed {
  return {
    tail: async (maxRows) => finishPoll(await events.tail(maxRows)),
    poll: async () => finishPoll(await events.poll()),
    readAll: (onRow) =>
      events.readAll((row) => {
        const finished = finishTrlRow(row);
        if (finished) onRow(finished);
      }),
    dispose: () => events.dispose?.(),
  };
}

/**
 * A feed chosen on first use: FeedParts are made synchronously, but which files a
 * run has (event files or only trainer_state.json) is only known after a listing.
 */
export function chosenOnFirstUse(choose: () => Promise<MetricFeed>): MetricFeed {
  let chosen: Promise<MetricFeed> | undefined;
  const feed = () => (chosen ??= choose());
  return {
    tail: async (maxRows) => (await feed()).tail(maxRows),
    poll: async () => (await feed()).poll(),
    readAll: async (onRow) => (await feed()).readAll(onRow),
    dispose: () => void chosen?.then((f) => f.dispose?.()),
  };
}
