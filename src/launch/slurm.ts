// A Slurm launch: sbatch submits the script (the template we ship, or the user's) with
// the profile's options; the job is then followed by its id (squeue while it exists,
// scontrol show job for a while after; sacct needs accounting, which many clusters and
// this project's test cluster do not have) and controlled with scontrol suspend/resume
// and scancel --signal=INT, then scancel.
import { execFile, execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { createSidecar, LaunchRecord, LAUNCH_FILE, LOG_FILE, STATUS_FILE, writeJsonAtomic } from './sidecar';

export interface SlurmLaunch {
  name: string;
  script: string;
  /** sbatch options: the profile's partition, nodes… and its own list. */
  options: string[];
  cwd: string;
  /** Exported to the job (sbatch --export=ALL, the default). */
  env: Record<string, string>;
  watch: string[];
  runsDir: string;
  profile?: unknown;
}

export type SlurmJobState =
  'PENDING' | 'RUNNING' | 'SUSPENDED' | 'COMPLETING' | 'COMPLETED' | 'CANCELLED' | 'FAILED' | string;

function slurm(command: string, args: string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync(command, args, {
    encoding: 'utf8',
    timeout: 15_000,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Whether sbatch can be run here (and a controller answers). */
export function slurmAvailable(): boolean {
  try {
    slurm('sinfo', ['-h', '-o', '%P']);
    return true;
  } catch {
    return false;
  }
}

/** The sbatch options a profile's fields stand for. */
export function sbatchOptions(p: {
  partition?: string;
  nodes?: number;
  gpus_per_node?: number;
  time?: string;
  sbatch?: string[];
}): string[] {
  return [
    ...(p.partition ? [`--partition=${p.partition}`] : []),
    ...(p.nodes ? [`--nodes=${p.nodes}`] : []),
    ...(p.gpus_per_node ? [`--gpus-per-node=${p.gpus_per_node}`] : []),
    ...(p.time ? [`--time=${p.time}`] : []),
    ...(p.sbatch ?? []),
  ];
}

/** Processes per node for the built-in trainer: nproc_per_node, else one per GPU asked, else 1. */
export function slurmProcsPerNode(p: { nproc_per_node?: number; gpus_per_node?: number }): number {
  return p.nproc_per_node ?? (p.gpus_per_node || 1);
}

/** What templates/slurm/grpo-lens.sbatch reads from the environment (sbatch exports it). */
export function builtinSlurmEnv(b: {
  python: string;
  trainerRoot: string;
  config: string;
  runDir: string;
  procsPerNode: number;
}): Record<string, string> {
  return {
    GRPO_LENS_PYTHON: b.python,
    GRPO_LENS_TRAINER_ROOT: b.trainerRoot,
    GRPO_LENS_CONFIG: b.config,
    GRPO_LENS_RUN_DIR: b.runDir,
    GRPO_LENS_NPROC_PER_NODE: String(b.procsPerNode),
  };
}

/** Submits the job; resolves with its sidecar folder (status.json holds the job id). */
export function submitSlurm(launch: SlurmLaunch, now = new Date()): string {
  const sidecar = createSidecar(launch.runsDir, launch.name, now);
  const args = [
    '--parsable',
    `--job-name=${launch.name}`,
    `--output=${path.join(sidecar, LOG_FILE)}`,
    `--chdir=${launch.cwd}`,
    ...launch.options,
    launch.script,
  ];
  const record: LaunchRecord = {
    kind: 'slurm',
    name: launch.name,
    command: ['sbatch', ...args],
    cwd: launch.cwd,
    env: launch.env,
    watch: launch.watch,
    runsDir: launch.runsDir,
    createdAt: now.getTime() / 1000,
    profile: launch.profile,
    script: launch.script,
  };
  writeJsonAtomic(path.join(sidecar, LAUNCH_FILE), record);
  const started = now.getTime() / 1000;
  let jobId: string;
  try {
    jobId = slurm('sbatch', args, { ...process.env, ...launch.env })
      .trim()
      .split(';')[0];
  } catch (err) {
    const error = `sbatch failed: ${stderrOf(err)}`;
    writeJsonAtomic(path.join(sidecar, STATUS_FILE), {
      state: 'failed',
      host: os.hostname(),
      startedAt: started,
      updatedAt: started,
      error,
    });
    throw new Error(error);
  }
  writeJsonAtomic(path.join(sidecar, STATUS_FILE), {
    state: 'submitted',
    jobId,
    host: os.hostname(),
    startedAt: started,
    updatedAt: started,
  });
  return sidecar;
}

function slurmAsync(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { encoding: 'utf8', timeout: 15_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    ),
  );
}

/** jobState without blocking the caller: for the extension host, which must never wait on Slurm. */
export async function jobStateAsync(jobId: string): Promise<SlurmJobState | undefined> {
  try {
    const queued = (await slurmAsync('squeue', ['-h', '-j', jobId, '-o', '%T'])).trim();
    if (queued) return queued;
  } catch {
    // an ended job may make squeue fail ("Invalid job id"): ask scontrol
  }
  try {
    return /JobState=(\S+)/.exec(await slurmAsync('scontrol', ['show', 'job', jobId]))?.[1];
  } catch {
    return undefined;
  }
}

/** The job's state: squeue while Slurm holds it, then scontrol; undefined when forgotten. */
export function jobState(jobId: string): SlurmJobState | undefined {
  try {
    const queued = slurm('squeue', ['-h', '-j', jobId, '-o', '%T']).trim();
    if (queued) return queued;
  } catch {
    // an ended job may make squeue fail ("Invalid job id"): ask scontrol
  }
  try {
    return /JobState=(\S+)/.exec(slurm('scontrol', ['show', 'job', jobId]))?.[1];
  } catch {
    return undefined;
  }
}

export function suspendJob(jobId: string): void {
  slurm('scontrol', ['suspend', jobId]);
}

export function resumeJob(jobId: string): void {
  slurm('scontrol', ['resume', jobId]);
}

/** --full: without it, a signal other than KILL skips the batch script, which is the trainer. */
export function cancelJob(jobId: string, signal?: 'INT'): void {
  slurm('scancel', signal ? ['--full', `--signal=${signal}`, jobId] : [jobId]);
}

export function stderrOf(err: unknown): string {
  const stderr = (err as { stderr?: string }).stderr;
  return (stderr && stderr.trim().split('\n').at(-1)) || (err as Error).message;
}
