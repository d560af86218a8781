// Where Trackio keeps its databases when TRACKIO_DIR is not set. Placeholder until
// the Trackio source lands: it reports no folder.
export function defaultTrackioDir(env: NodeJS.ProcessEnv): string | undefined {
  return env.TRACKIO_DIR || undefined;
}
