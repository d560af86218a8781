// Reading events.jsonl records without assuming more of their shape than the
// run-directory contract promises. Pure.

/** The kind of an event: its "event" (or "type") field. */
export function eventKind(event: Record<string, unknown>): string | undefined {
  const kind = event.event ?? event.type ?? event.kind;
  return typeof kind === 'string' ? kind : undefined;
}

/** The control-command id an event acknowledges, if it is an acknowledgement. */
export function acknowledgedId(event: Record<string, unknown>): string | undefined {
  for (const key of ['ack', 'acknowledged', 'command_id', 'control_id', 'id']) {
    const value = event[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** The step a resume from a checkpoint continues after, if this event says so. */
export function resumedFromStep(event: Record<string, unknown>): number | undefined {
  const kind = eventKind(event);
  const from = event.resumed_from_step ?? event.from_step ?? event.checkpoint_step;
  if (typeof from === 'number') return from;
  if ((kind === 'resumed_from_checkpoint' || kind === 'resume') && typeof event.step === 'number') return event.step;
  return undefined;
}

export function isFailure(event: Record<string, unknown>): boolean {
  return eventKind(event) === 'failed';
}

export function eventMessage(event: Record<string, unknown>): string | undefined {
  const message = event.message ?? event.error;
  return typeof message === 'string' ? message : undefined;
}
