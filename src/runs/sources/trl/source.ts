// TRL (and Unsloth, which writes the same files) as a source: an output_dir with
// completions Parquet files, trainer_state.json, checkpoints and TensorBoard events.
import { FeedRun } from '../feedRun';
import type { RunSource } from '../source';
import { findTrlRuns, trlParts } from './index';

export const trlSource: RunSource = {
  kind: 'trl',
  label: 'TRL',
  find: findTrlRuns,
  open: (run) => new FeedRun(run, 'TRL', () => trlParts(run)),
};
