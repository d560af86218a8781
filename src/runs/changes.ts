// Merging the changes of one refresh pass: one entry per run, later changes folded into the first.
import type { RunChange } from './model';

/** One entry per run: later changes to the same run merged into the first. */
export function mergeChanges(changes: RunChange[]): RunChange[] {
  const byRun = new Map<string, RunChange>();
  for (const change of changes) {
    const seen = byRun.get(change.runId);
    byRun.set(change.runId, seen ? mergeTwo(seen, change) : change);
  }
  return [...byRun.values()];
}

function mergeTwo(a: RunChange, b: RunChange): RunChange {
  const superseded = [a.supersededFrom, b.supersededFrom].filter((s): s is number => s !== undefined);
  return {
    runId: a.runId,
    summary: a.summary || b.summary || undefined,
    newMetrics:
      a.newMetrics || b.newMetrics
        ? [
            ...(a.newMetrics ?? []).filter((r) => r.step < (b.supersededFrom ?? Infinity)),
            ...(b.newMetrics ?? []),
          ]
        : undefined,
    supersededFrom: superseded.length > 0 ? Math.min(...superseded) : undefined,
    newSampleSteps:
      a.newSampleSteps || b.newSampleSteps
        ? [...(a.newSampleSteps ?? []), ...(b.newSampleSteps ?? [])]
        : undefined,
    newEvents: a.newEvents || b.newEvents ? [...(a.newEvents ?? []), ...(b.newEvents ?? [])] : undefined,
    removed: a.removed || b.removed || undefined,
  };
}
