// A Slurm launch's state and controls, by job id: pause = scontrol suspend (the job's
// processes are stopped on their nodes), resume = scontrol resume, stop = scancel
// --signal=INT (the trainer saves and exits) and, after the timeout, scancel.
import type { LaunchState } from './launchState';
import { EndedBy, LaunchStatus, readStatus, updateStatus } from './sidecar';
import { cancelJob, jobState, jobStateAsync, resumeJob, suspendJob } from './slurm';
import { ControlRefused, type StopTimeouts } from './groupControl';

const STATE_TTL_MS = 2000;
const RESUME_SETTLE_MS = 3000;
const cache = new Map<string, { at: number; state: string | undefined }>();
const asking = new Set<string>();
let mayBlock = true;

/**
 * The extension host reads job states on every summary and must never wait on a slow or
 * dead controller (squeue can hang for its whole timeout): there the state is the last one
 * Slurm gave, asked again in the background. The command line keeps asking and waiting.
 */
export function neverWaitOnSlurm(): void {
  mayBlock = false;
}

function cachedJobState(jobId: string, now = Date.now()): string | undefined {
  const hit = cache.get(jobId);
  if (hit && now - hit.at < STATE_TTL_MS) return hit.state;
  if (mayBlock) {
    const state = jobState(jobId);
    cache.set(jobId, { at: now, state });
    return state;
  }
  if (!asking.has(jobId)) {
    asking.add(jobId);
    void jobStateAsync(jobId)
      .then((state) => cache.set(jobId, { at: Date.now(), state }))
      .finally(() => asking.delete(jobId));
  }
  return hit?.state; // not known yet: the sidecar's own state stands meanwhile
}

/** The launch state of a Slurm job, from Slurm itself. */
export function slurmLaunchState(status: LaunchStatus): LaunchState {
  const job = cachedJobState(status.jobId!);
  if (job === undefined)
    return status.state === 'stopped' ? 'stopped' : status.state === 'failed' ? 'failed' : 'lost';
  if (['PENDING', 'CONFIGURING', 'REQUEUED'].includes(job)) return 'pending';
  if (job === 'SUSPENDED') return 'suspended';
  if (['RUNNING', 'COMPLETING'].includes(job)) return status.state === 'stopping' ? 'stopping' : 'running';
  if (job === 'COMPLETED') return status.endedBy ? 'stopped' : 'finished';
  if (job === 'CANCELLED') return 'stopped';
  return 'failed';
}

function jobOf(sidecar: string): string {
  const jobId = readStatus(sidecar)?.jobId;
  if (!jobId) throw new ControlRefused(`${sidecar} records no Slurm job id`);
  return jobId;
}

function slurmDo(action: () => void, what: string): void {
  try {
    action();
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new ControlRefused(`${what} failed: ${stderr || (err as Error).message}`);
  } finally {
    cache.clear();
  }
}

export function suspendLaunch(sidecar: string): void {
  const job = jobOf(sidecar);
  slurmDo(() => suspendJob(job), `scontrol suspend ${job}`);
}

export function resumeSlurmLaunch(sidecar: string): void {
  const job = jobOf(sidecar);
  slurmDo(() => resumeJob(job), `scontrol resume ${job}`);
  updateStatus(sidecar, { resumedAt: Date.now() / 1000 });
}

/** Waits until a resume is RESUME_SETTLE_MS old: a signal sooner may be dropped (see below). */
async function afterResumeSettled(sidecar: string): Promise<void> {
  const resumedAt = readStatus(sidecar)?.resumedAt;
  const wait = resumedAt === undefined ? 0 : resumedAt * 1000 + RESUME_SETTLE_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** scancel --signal=INT, then scancel after sigintSeconds; resolves with what ended it. */
export async function cancelLaunch(sidecar: string, timeouts: StopTimeouts, now = false): Promise<EndedBy> {
  const job = jobOf(sidecar);
  const steps: [EndedBy, () => void, number][] = now
    ? [['scancel', () => cancelJob(job), 30]]
    : [
        ['scancel --signal=INT', () => cancelJob(job, 'INT'), timeouts.sigintSeconds],
        ['scancel', () => cancelJob(job), 30],
      ];
  for (const [by, send, seconds] of steps) {
    updateStatus(sidecar, { state: 'stopping', endedBy: by });
    // A suspended job acts on no signal until resumed, and slurmstepd drops a signal that
    // comes while a resume is still reaching the job's processes: resume, then wait.
    if (jobState(job) === 'SUSPENDED') resumeSlurmLaunch(sidecar);
    await afterResumeSettled(sidecar);
    slurmDo(send, by);
    if (await jobEnds(job, seconds * 1000)) {
      updateStatus(sidecar, { state: 'stopped', endedBy: by, endedAt: Date.now() / 1000 });
      return by;
    }
  }
  throw new ControlRefused(`Slurm job ${job} is still there after scancel`);
}

async function jobEnds(job: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = jobState(job);
    if (
      state === undefined ||
      !['PENDING', 'RUNNING', 'SUSPENDED', 'COMPLETING', 'CONFIGURING'].includes(state)
    )
      return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
