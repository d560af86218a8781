// The generic TensorBoard source: a folder that holds event files directly is a run
// (as TensorBoard itself treats it). Names are kept as logged, less a "train/" prefix.
import * as path from 'path';
import type { NameTable, PrefixRules } from '../canonicalNames';
import { FeedRun } from '../feedRun';
import type { FeedParts, FoundRun, RunSource } from '../source';
import { isEventFileName, listEventFiles, newestWrite } from './eventFiles';
import { eventsMetricFeed } from './feed';

export const TENSORBOARD_NAMES: NameTable = {};
export const TENSORBOARD_PREFIXES: PrefixRules = [['train/', '']];

/** Only the folder's own files: its subfolders (add_scalars, add_hparams) are TensorBoard runs of their own. */
const OWN_FILES = 0;

export async function findTensorboardRuns(dir: string, entries: string[]): Promise<FoundRun[]> {
  if (!entries.some(isEventFileName)) return [];
  return [{ id: dir, dir, source: 'tensorboard', name: path.basename(dir), watch: [dir] }];
}

export function tensorboardParts(run: FoundRun): FeedParts {
  return {
    metrics: eventsMetricFeed([run.dir], TENSORBOARD_NAMES, TENSORBOARD_PREFIXES, { depth: OWN_FILES }),
    // the newest event file stands for the run in the editor (the run doctor's Problems)
    facts: async () => ({ mainFile: (await listEventFiles([run.dir], OWN_FILES)).at(-1) }),
    lastWrite: async () => newestWrite(await listEventFiles([run.dir], OWN_FILES)),
  };
}

export const tensorboardSource: RunSource = {
  kind: 'tensorboard',
  label: 'TensorBoard',
  find: findTensorboardRuns,
  open: (run) => new FeedRun(run, 'TensorBoard', () => tensorboardParts(run)),
};
