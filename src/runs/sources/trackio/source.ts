// Trackio as a source: one SQLite database per project, one run per run name, read
// through Python's sqlite3 (see docs/trackio-sqlite.md for why).
import { FeedRun } from '../feedRun';
import type { RunSource } from '../source';
import { findTrackioRuns, trackioParts } from './index';

export const trackioSource: RunSource = {
  kind: 'trackio',
  label: 'Trackio',
  find: (dir, entries) => findTrackioRuns(dir, entries),
  open: (run) => new FeedRun(run, 'Trackio', () => trackioParts(run)),
};
