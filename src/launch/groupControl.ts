// Control of a launched command, for every process of its group at once (every rank
// of a torchrun or accelerate launch): pause = SIGSTOP (memory stays where it is, the
// GPU's included), resume = SIGCONT, stop = SIGINT, then SIGTERM, then SIGKILL, each
// after its timeout; the sidecar records which one ended the run.
import * as os from 'os';
import { groupAlive, signalGroup, waitGroupGone } from './processGroup';
import { EndedBy, LaunchStatus, readStatus, updateStatus } from './sidecar';

export interface StopTimeouts {
  /** Seconds SIGINT is given (a trainer finishes its step and saves) before SIGTERM. */
  sigintSeconds: number;
  /** Seconds SIGTERM is given before SIGKILL. */
  sigtermSeconds: number;
}

export const DEFAULT_STOP_TIMEOUTS: StopTimeouts = { sigintSeconds: 60, sigtermSeconds: 15 };

/** A control that cannot be done, said so that a person knows what to do. */
export class ControlRefused extends Error {}

/** The live process group of a launch on this host, or why there is none. */
export function controllableGroup(
  sidecar: string,
  host = os.hostname(),
): { pgid: number; status: LaunchStatus } {
  const status = readStatus(sidecar);
  if (!status)
    throw new ControlRefused(`${sidecar} has no readable status.json: is it a launch of GRPO Lens?`);
  if (status.host !== host)
    throw new ControlRefused(
      `this run was started on host ${status.host}: control it there (this is ${host})`,
    );
  if (status.jobId !== undefined) throw new ControlRefused('this run is a Slurm job: use its Slurm controls');
  if (status.pgid === undefined || !groupAlive(status.pgid))
    throw new ControlRefused(`the run's processes are gone (${status.state}); there is nothing to control`);
  return { pgid: status.pgid, status };
}

export function pauseLaunch(sidecar: string): void {
  signalGroup(controllableGroup(sidecar).pgid, 'SIGSTOP');
}

export function resumeLaunch(sidecar: string): void {
  signalGroup(controllableGroup(sidecar).pgid, 'SIGCONT');
}

/**
 * Stops the run and resolves with the signal that ended it. A paused group is continued
 * first: a stopped process would not act on SIGINT until then.
 */
export async function stopLaunch(
  sidecar: string,
  timeouts: StopTimeouts = DEFAULT_STOP_TIMEOUTS,
  onSignal: (signal: EndedBy) => void = () => undefined,
): Promise<EndedBy> {
  const { pgid } = controllableGroup(sidecar);
  const steps: [EndedBy & NodeJS.Signals, number][] = [
    ['SIGINT', timeouts.sigintSeconds],
    ['SIGTERM', timeouts.sigtermSeconds],
    ['SIGKILL', 10],
  ];
  for (const [signal, seconds] of steps) {
    updateStatus(sidecar, { state: 'stopping', endedBy: signal });
    onSignal(signal);
    if (!signalGroup(pgid, signal)) return ended(sidecar, signal);
    if (signal === 'SIGINT') signalGroup(pgid, 'SIGCONT');
    if (await waitGroupGone(pgid, seconds * 1000)) return ended(sidecar, signal);
  }
  throw new ControlRefused(
    `process group ${pgid} is still there after SIGKILL (a process stuck in the kernel?)`,
  );
}

/** Force Stop: SIGKILL to the group at once, for a run that no longer answers. */
export async function killLaunch(sidecar: string): Promise<EndedBy> {
  const { pgid } = controllableGroup(sidecar);
  updateStatus(sidecar, { state: 'stopping', endedBy: 'SIGKILL' });
  signalGroup(pgid, 'SIGKILL');
  await waitGroupGone(pgid, 10_000);
  return ended(sidecar, 'SIGKILL');
}

/** The supervisor records the exit when it lives to; when SIGKILL took it too, we do. */
function ended(sidecar: string, by: EndedBy): EndedBy {
  const status = readStatus(sidecar);
  if (status && status.endedAt === undefined)
    updateStatus(sidecar, { state: 'stopped', endedBy: by, endedAt: Date.now() / 1000 });
  else if (status?.state !== 'stopped') updateStatus(sidecar, { state: 'stopped', endedBy: by });
  return by;
}
