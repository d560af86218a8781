// The Trackio source: project databases ($TRACKIO_DIR/{project}.db) and their runs.
// The lead wires it: `open` is `(run) => new FeedRun(run, 'Trackio', () => trackioParts(run))`.
export { defaultTrackioDir, findTrackioRuns, splitTrackioRunId, trackioRunId } from './find';
export { trackioParts } from './parts';
export { defaultPython, type TrackioOptions } from './query';
export { TRACKIO_NAMES, TRACKIO_PREFIXES } from './names';
