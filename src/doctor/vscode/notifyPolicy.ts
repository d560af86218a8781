// Which findings deserve a notification: only errors that need the user now (the run
// produces NaN, or it stopped writing), and only once per run (the first such error; a
// run that also stalls later stays in the tree and Problems), remembered across reloads.
// Everything else waits in the tree and the Problems panel. Pure.
import type { RunSummary } from '../../runs/model';
import { isActiveState } from '../../runs/summary';
import type { Finding, FindingId } from '../finding';

export const NOTIFIED_IDS: FindingId[] = ['non-finite', 'stalled'];

/** The key under which a run's notification is remembered. */
export function notifiedKey(runId: string): string {
  return `doctor@${runId}`;
}

/** The finding of a run to notify now (NaN before a stall), if the run was not told of one yet. */
export function findingToNotify(
  runId: string,
  findings: Finding[],
  notified: ReadonlySet<string>,
): Finding | undefined {
  if (notified.has(notifiedKey(runId))) return undefined;
  const errors = findings.filter((f) => f.severity === 'error' && NOTIFIED_IDS.includes(f.id));
  return NOTIFIED_IDS.map((id) => errors.find((f) => f.id === id)).find((f) => f !== undefined);
}

/** Keeps the remembered list bounded: the newest keys win. */
export const MAX_REMEMBERED = 500;

export function remember(keys: string[], added: string[]): string[] {
  const next = [...keys.filter((k) => !added.includes(k)), ...added];
  return next.slice(-MAX_REMEMBERED);
}

/** The notification's buttons: Pause only for a run GRPO Lens controls that is active. */
export function notificationButtons(run: RunSummary | undefined): string[] {
  const canPause = run !== undefined && run.capabilities.control && isActiveState(run.state);
  return canPause ? ['Open Dashboard', 'Pause'] : ['Open Dashboard'];
}
