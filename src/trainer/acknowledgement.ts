// Waiting for the trainer to acknowledge a control command in events.jsonl, or to
// die, or for the time allowed to run out.
import { acknowledgedId, checkpointIds } from '../runs/events';
import type { RunStore } from '../runs/model';
import { isFinalState } from '../runs/summary';

export type AckOutcome =
  | { kind: 'acknowledged'; event: Record<string, unknown> }
  | { kind: 'timeout' }
  | { kind: 'process-gone'; state: string };

/**
 * Resolves when an event acknowledges `id` (for a checkpoint: when the checkpoint
 * event lists it). Subscribe before appending the command, so no event is missed.
 */
export function waitForAcknowledgement(
  store: RunStore,
  runId: string,
  id: string,
  timeoutMs: number,
  untilSaved: boolean,
): Promise<AckOutcome> {
  return new Promise((resolve) => {
    const finish = (outcome: AckOutcome) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    const subscription = store.onDidChange((changes) => {
      for (const change of changes.filter((c) => c.runId === runId)) {
        const event = (change.newEvents ?? []).find((e) => matches(e, id, untilSaved));
        if (event) return finish({ kind: 'acknowledged', event });
        const state = store.get(runId)?.state;
        if (change.removed || state === 'stale' || (state && isFinalState(state))) {
          return finish({ kind: 'process-gone', state: change.removed ? 'deleted' : (state ?? 'unknown') });
        }
      }
    });
  });
}

function matches(event: Record<string, unknown>, id: string, untilSaved: boolean): boolean {
  return untilSaved ? checkpointIds(event).includes(id) : acknowledgedId(event) === id;
}
