// verl as a source: file-logger metrics and rollout dumps (see verl.ts, find.ts).
import { FeedRun } from '../feedRun';
import type { RunSource } from '../source';
import { findVerlRuns } from './find';
import { verlParts } from './verl';

export const verlSource: RunSource = {
  kind: 'verl',
  label: 'verl',
  find: findVerlRuns,
  open: (run) => new FeedRun(run, 'verl', () => verlParts(run)),
};
