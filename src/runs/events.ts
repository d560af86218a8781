// Reading events.jsonl records without assuming more of their shape than the
// run-directory contract promises. Pure.

/** The kind of an event: its "event" (or "type") field. */
export function eventKind(event: Record<string, unknown>): string | undefined {
  const kind = event.event ?? event.type ?? event.kind;
  return typeof kind === 'string' ? kind : undefined;
}

/** The control-command id an event acknowledges: {"event": "ack", "id", "command"}. */
export function acknowledgedId(event: Record<string, unknown>): string | undefined {
  const kind = eventKind(event);
  if (kind !== 'ack' && kind !== 'acknowledged') return undefined;
  return typeof event.id === 'string' ? event.id : undefined;
}

/** Control ids a checkpoint event says it saved for ({"event": "checkpoint", "ids": [...]}). */
export function checkpointIds(event: Record<string, unknown>): string[] {
  if (eventKind(event) !== 'checkpoint' || !Array.isArray(event.ids)) return [];
  return event.ids.filter((id): id is string => typeof id === 'string');
}

/** The step a resume from a checkpoint continues after, if this event says so. */
export function resumedFromStep(event: Record<string, unknown>): number | undefined {
  const kind = eventKind(event);
  const from = event.resumed_from_step ?? event.from_step ?? event.checkpoint_step;
  if (typeof from === 'number') return from;
  // {"event": "resumed", "step", "checkpoint"}: a resume from a checkpoint (a resume
  // after a pause has no checkpoint).
  if (kind === 'resumed' && typeof event.checkpoint === 'string' && typeof event.step === 'number')
    return event.step;
  return undefined;
}

export function isFailure(event: Record<string, unknown>): boolean {
  return eventKind(event) === 'failed';
}

export function eventMessage(event: Record<string, unknown>): string | undefined {
  const message = event.message ?? event.error;
  return typeof message === 'string' ? message : undefined;
}
