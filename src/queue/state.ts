// The queue of runs to start, as a pure state machine: what to start next (in order, up
// to maxParallel at once, and a sweep's own cap), what a started run became, reorder,
// cancel, run next. The runner (runner.ts) does the starting and the saving.

export type EntryState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** What to start: a config of our trainer, or a launch profile of .vscode/grpo-lens.json. */
export interface ConfigTarget {
  kind: 'config';
  /** The *.grpo.json queued, or the base config of a sweep's run. */
  configPath: string;
  /** A sweep's run: the full config to train with (the base with its overrides). */
  config?: Record<string, unknown>;
}
/**
 * A launch profile, found by name when it starts (as a config is read when it starts). Its
 * run folder is known only once it started: the launch's watched folder (or our trainer's
 * run directory); `sidecar` is the launch's, which says when a command or a Slurm job ended.
 */
export interface ProfileTarget {
  kind: 'profile';
  profileName: string;
  profileKind: 'builtin' | 'command' | 'slurm';
  /** The workspace folder whose .vscode/grpo-lens.json has it. */
  folder: string;
  sidecar?: string;
}
export type QueueTarget = ConfigTarget | ProfileTarget;

export interface QueueEntry {
  id: string;
  name: string;
  target: QueueTarget;
  sweep?: { name: string; overrides: { key: string; value: unknown }[]; maxParallel?: number };
  state: EntryState;
  queuedAt: number;
  startedAt?: number;
  endedAt?: number;
  runDir?: string;
  /** Why it failed, or how its run ended (finished, stopped). */
  detail?: string;
}

export interface QueueState {
  version: 1;
  entries: QueueEntry[];
}

/** What the run of a running entry looks like now. */
export type RunObservation =
  | { kind: 'active' }
  | { kind: 'ended'; how: 'finished' | 'stopped' }
  | { kind: 'failed'; error: string }
  /** Not (yet) listed: the trainer has not written its run directory. */
  | { kind: 'absent' };

/** A run not listed this long after its start never started. */
export const START_GRACE_MS = 120_000;

export function emptyQueue(): QueueState {
  return { version: 1, entries: [] };
}

export function enqueue(state: QueueState, entries: QueueEntry[]): QueueState {
  return { ...state, entries: [...state.entries, ...entries] };
}

/** The pending entries to start now, in queue order, within both caps. */
export function entriesToStart(state: QueueState, maxParallel: number): QueueEntry[] {
  const running = state.entries.filter((e) => e.state === 'running');
  const perSweep = new Map<string, number>();
  for (const e of running) if (e.sweep) perSweep.set(e.sweep.name, (perSweep.get(e.sweep.name) ?? 0) + 1);
  const picked: QueueEntry[] = [];
  for (const e of state.entries) {
    if (running.length + picked.length >= Math.max(1, maxParallel)) break;
    if (e.state !== 'pending') continue;
    const sweepCount = e.sweep ? (perSweep.get(e.sweep.name) ?? 0) : 0;
    if (e.sweep?.maxParallel !== undefined && sweepCount >= e.sweep.maxParallel) continue;
    if (e.sweep) perSweep.set(e.sweep.name, sweepCount + 1);
    picked.push(e);
  }
  return picked;
}

function update(state: QueueState, id: string, change: (e: QueueEntry) => QueueEntry): QueueState {
  return { ...state, entries: state.entries.map((e) => (e.id === id ? change(e) : e)) };
}

/** runDir is undefined for a profile until it started (see markLaunched). */
export function markStarted(
  state: QueueState,
  id: string,
  runDir: string | undefined,
  now: number,
): QueueState {
  return update(state, id, (e) => ({
    ...e,
    state: 'running',
    ...(runDir ? { runDir } : {}),
    startedAt: now,
  }));
}

/** A profile's entry once started: where its run is written, and its launch's sidecar. */
export function markLaunched(state: QueueState, id: string, runDir: string, sidecar?: string): QueueState {
  return update(state, id, (e) =>
    e.target.kind === 'profile' ? { ...e, runDir, target: { ...e.target, sidecar } } : { ...e, runDir },
  );
}

export function markFailed(state: QueueState, id: string, why: string, now: number): QueueState {
  return update(state, id, (e) => ({ ...e, state: 'failed', detail: why, endedAt: now }));
}

/**
 * Running entries whose run ended become done or failed; the rest stay. An entry still
 * without a run folder (its profile's start was cut short by a reload) reads as absent.
 */
export function noteRuns(
  state: QueueState,
  observe: (entry: QueueEntry) => RunObservation,
  now: number,
): QueueState {
  const entries = state.entries.map((e): QueueEntry => {
    if (e.state !== 'running') return e;
    const seen: RunObservation = e.runDir ? observe(e) : { kind: 'absent' };
    if (seen.kind === 'ended') return { ...e, state: 'done', detail: seen.how, endedAt: now };
    if (seen.kind === 'failed') return { ...e, state: 'failed', detail: seen.error, endedAt: now };
    if (seen.kind === 'absent' && now - (e.startedAt ?? now) > START_GRACE_MS)
      return {
        ...e,
        state: 'failed',
        detail: 'the trainer never wrote its run directory (see train.log)',
        endedAt: now,
      };
    return e;
  });
  return entries.some((e, i) => e !== state.entries[i]) ? { ...state, entries } : state;
}

/** Moves a pending entry one place up (-1) or down (+1) among the pending ones. */
export function move(state: QueueState, id: string, delta: -1 | 1): QueueState {
  const pending = state.entries.filter((e) => e.state === 'pending');
  const from = pending.findIndex((e) => e.id === id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= pending.length) return state;
  const a = state.entries.indexOf(pending[from]);
  const b = state.entries.indexOf(pending[to]);
  const entries = state.entries.slice();
  [entries[a], entries[b]] = [entries[b], entries[a]];
  return { ...state, entries };
}

/** Puts a pending entry first among the pending ones: it is the next to start. */
export function runNext(state: QueueState, id: string): QueueState {
  const entry = state.entries.find((e) => e.id === id && e.state === 'pending');
  const firstPending = state.entries.findIndex((e) => e.state === 'pending');
  if (!entry) return state;
  const rest = state.entries.filter((e) => e !== entry);
  rest.splice(firstPending, 0, entry);
  return { ...state, entries: rest };
}

/** A pending entry is not started; a running one is marked so (its run is stopped by the caller). */
export function cancel(state: QueueState, id: string, now: number): QueueState {
  return update(state, id, (e) =>
    e.state === 'pending' || e.state === 'running' ? { ...e, state: 'cancelled', endedAt: now } : e,
  );
}

/** Forgets entries that ended (done, failed, cancelled); their runs stay. */
export function clearEnded(state: QueueState): QueueState {
  return { ...state, entries: state.entries.filter((e) => e.state === 'pending' || e.state === 'running') };
}
