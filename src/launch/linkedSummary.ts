// A foreign run that a launch of ours writes gains control (pause, resume, stop through
// its process group) and the launch's state: paused while its processes are stopped,
// stopped with the signal that ended it, running on another host when it is there.
import type { RunState, RunSummary } from '../runs/model';
import { launchView, LaunchState } from './launchState';
import { launchFor } from './link';

const STATES: Record<LaunchState, RunState | undefined> = {
  starting: 'starting',
  running: 'running',
  paused: 'paused',
  stopping: 'stopping',
  stopped: 'stopped',
  failed: 'failed',
  // A process that ended by itself: the source's own reading (finished, idle) says more.
  finished: undefined,
  lost: undefined,
  pending: 'starting',
  suspended: 'paused',
};

/** The summary as the launch that writes the run says it is; `only` limits the kinds linked. */
export function withLaunch(summary: RunSummary, only?: 'slurm'): RunSummary {
  const linked = launchFor(summary.dir);
  if (!linked || (only && linked.launch.kind !== only)) return summary;
  const view = launchView(linked.sidecar);
  if (!view) return summary;
  const state = ownState(summary, view.state) ?? STATES[view.state];
  const active = ['starting', 'running', 'paused', 'stopping'].includes(state ?? '');
  return {
    ...summary,
    state: state ?? summary.state,
    pid: view.status.pgid ?? summary.pid,
    // Pause, resume and stop go to the process group (or the Slurm job) while it lives.
    capabilities: { ...summary.capabilities, control: active && !view.remote },
    launch: { sidecar: linked.sidecar, host: view.host, remote: view.remote, kind: linked.launch.kind },
    error: state === 'failed' || state === 'stopped' ? (view.status.error ?? summary.error) : summary.error,
  };
}

/**
 * Our own trainer says more about itself (checkpointing, stopping, finished) than its
 * Slurm job does; the job says what the trainer cannot: queued, suspended.
 */
function ownState(summary: RunSummary, launch: LaunchState): RunState | undefined {
  if (summary.source !== 'grpo-lens') return undefined;
  if (launch === 'pending' || launch === 'suspended') return STATES[launch];
  if (
    ['starting', 'running', 'paused', 'stopping', 'checkpointing', 'finished', 'failed', 'stopped'].includes(
      summary.state,
    )
  )
    return summary.state;
  return undefined;
}
