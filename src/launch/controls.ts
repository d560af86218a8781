// Pause, resume, stop and force stop of any launch of ours, by its kind: a command's
// process group (groupControl.ts) or a Slurm job (slurmControl.ts). The CLI and the
// extension both come here.
import { killLaunch, pauseLaunch, resumeLaunch, stopLaunch, type StopTimeouts } from './groupControl';
import { EndedBy, readLaunch } from './sidecar';
import { cancelLaunch, resumeSlurmLaunch, suspendLaunch } from './slurmControl';

function isSlurm(sidecar: string): boolean {
  return readLaunch(sidecar)?.kind === 'slurm';
}

export function pauseAny(sidecar: string): void {
  (isSlurm(sidecar) ? suspendLaunch : pauseLaunch)(sidecar);
}

export function resumeAny(sidecar: string): void {
  (isSlurm(sidecar) ? resumeSlurmLaunch : resumeLaunch)(sidecar);
}

export function stopAny(
  sidecar: string,
  timeouts: StopTimeouts,
  onSignal?: (signal: EndedBy) => void,
): Promise<EndedBy> {
  return isSlurm(sidecar) ? cancelLaunch(sidecar, timeouts) : stopLaunch(sidecar, timeouts, onSignal);
}

export function killAny(sidecar: string, timeouts: StopTimeouts): Promise<EndedBy> {
  return isSlurm(sidecar) ? cancelLaunch(sidecar, timeouts, true) : killLaunch(sidecar);
}
