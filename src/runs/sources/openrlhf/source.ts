// The OpenRLHF source. With --logger.tensorboard_dir D (--use_tensorboard D before
// v0.10.2) OpenRLHF's rank 0 writes SummaryWriter(D/<logger.wandb.run_name>): one
// folder per run, one event file per process start. A folder of event files whose
// first tags are OpenRLHF's is an OpenRLHF run.
import * as path from 'path';
import { FeedRun } from '../feedRun';
import type { FeedParts, FoundRun, RunSource } from '../source';
import { isEventFileName, listEventFiles, newestWrite } from '../tensorboard/eventFiles';
import { eventsMetricFeed } from '../tensorboard/feed';
import { isOpenRlhfLogdir } from './detect';
import { OPENRLHF_NAMES, OPENRLHF_PREFIXES } from './names';
import { openRlhfSampleFeed } from './samples';

/** The run folder's own event files: each process start of the run adds one beside the others. */
const OWN_FILES = 0;

export async function findOpenRlhfRuns(dir: string, entries: string[]): Promise<FoundRun[]> {
  if (!entries.some(isEventFileName) || !(await isOpenRlhfLogdir(dir))) return [];
  return [{ id: dir, dir, source: 'openrlhf', name: path.basename(dir), watch: [dir] }];
}

export function openRlhfParts(run: FoundRun): FeedParts {
  return {
    metrics: eventsMetricFeed([run.dir], OPENRLHF_NAMES, OPENRLHF_PREFIXES, { depth: OWN_FILES }),
    samples: openRlhfSampleFeed(run.dir),
    // the newest event file stands for the run in the editor (the run doctor's Problems)
    facts: async () => ({ mainFile: (await listEventFiles([run.dir], OWN_FILES)).at(-1) }),
    lastWrite: async () => newestWrite(await listEventFiles([run.dir], OWN_FILES)),
  };
}

export const openRlhfSource: RunSource = {
  kind: 'openrlhf',
  label: 'OpenRLHF',
  find: findOpenRlhfRuns,
  open: (run) => new FeedRun(run, 'OpenRLHF', () => openRlhfParts(run)),
};
