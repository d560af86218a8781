// What a launched run is doing now, from its sidecar and, on this host, /proc: the
// recorded state says how it ended; the process group says whether it still runs and
// whether every process of it is stopped (paused). A run on another host (a shared file
// system, Remote-SSH) cannot be looked at from here: it is shown as its host last said.
import * as os from 'os';
import { groupAlive, groupProcesses } from './processGroup';
import { LaunchStatus, readStatus } from './sidecar';
import { slurmLaunchState } from './slurmControl';

export type LaunchState =
  | 'starting'
  | 'running'
  | 'paused'
  | 'stopping'
  | 'finished'
  | 'failed'
  | 'stopped'
  /** status.json names a process group that is gone, without saying how it ended. */
  | 'lost'
  /** Slurm: queued or suspended, read from squeue (slurm.ts). */
  | 'pending'
  | 'suspended';

export interface LaunchView {
  state: LaunchState;
  host: string;
  /** The run was started on another host: its state is what that host last wrote. */
  remote: boolean;
  status: LaunchStatus;
}

/** The state of a command launch; undefined without a readable status.json. */
export function launchView(sidecar: string, host = os.hostname()): LaunchView | undefined {
  const status = readStatus(sidecar);
  if (!status) return undefined;
  // A Slurm job is asked of Slurm, which answers on every host of its cluster.
  if (status.jobId !== undefined)
    return { state: slurmLaunchState(status), host: status.host, remote: false, status };
  const remote = status.host !== host;
  return { state: remote ? recordedState(status) : localState(status), host: status.host, remote, status };
}

function recordedState(status: LaunchStatus): LaunchState {
  switch (status.state) {
    case 'exited':
      return 'finished';
    case 'submitted':
      return 'pending';
    default:
      return status.state;
  }
}

function localState(status: LaunchStatus): LaunchState {
  const recorded = recordedState(status);
  if (['finished', 'failed', 'stopped'].includes(recorded)) return recorded;
  if (status.pgid === undefined) return 'starting';
  // One look at /proc for both questions: asked on every refresh of a linked run.
  const processes = groupProcesses(status.pgid);
  if (processes.length === 0 && !groupAlive(status.pgid)) return status.endedBy ? 'stopped' : 'lost';
  if (processes.length > 0 && processes.every((p) => p.state === 'T' || p.state === 't')) return 'paused';
  return recorded === 'stopping' ? 'stopping' : recorded;
}

export function isLaunchActive(state: LaunchState): boolean {
  return ['starting', 'running', 'paused', 'stopping', 'pending', 'suspended'].includes(state);
}

/** How it ended, in words: "exit code 0", "stopped by SIGTERM", "killed by SIGKILL". */
export function endedHow(status: LaunchStatus): string {
  if (status.endedBy) return `stopped by ${status.endedBy}`;
  if (status.error) return status.error;
  if (status.signal) return `ended by ${status.signal}`;
  if (status.exitCode !== undefined && status.exitCode !== null) return `exit code ${status.exitCode}`;
  return 'ended';
}
