// The runs of a comparison as the webviews show them: name, source, state and colour,
// in the order the user chose them (that order gives the colours). Pure.
import type { CompareRunInfo } from '../contract/messages';
import type { RunSummary } from '../runs/model';
import { distinctRunLabel } from '../views/runLabel';
import { runColour } from './colours';

export function compareRunInfos(runIds: string[], runs: RunSummary[]): CompareRunInfo[] {
  return runIds.map((runId, i) => {
    const run = runs.find((r) => r.id === runId);
    return {
      runId,
      name: run ? distinctRunLabel(run, runs) : runId,
      source: run?.sourceLabel ?? '',
      state: run?.state ?? 'unknown',
      colour: runColour(i),
    };
  });
}

/** Run ids from a command's arguments: an id, a tree item, or the tree's multi-selection `(item, items[])`. */
export function runIdsOf(arg: unknown, selection?: unknown, idOf = defaultIdOf): string[] {
  const list =
    Array.isArray(selection) && selection.length > 0 ? selection : Array.isArray(arg) ? arg : [arg];
  const ids = list.map(idOf).filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set(ids)];
}

function defaultIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const o = arg as { runId?: unknown; id?: unknown };
  if (typeof o.runId === 'string') return o.runId;
  return typeof o.id === 'string' ? o.id : undefined;
}
