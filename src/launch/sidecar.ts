// The sidecar folder of a launched run: ours, next to the run's output and never inside a
// foreign trainer's files. <runs dir>/.grpo-lens/launches/<name>-<time>/ holds
//   launch.json  the resolved profile and command line (written once)
//   status.json  pid and process-group id (or Slurm job id), host, state, times
//   train.log    the command's stdout and stderr
// The folder is hidden, so discovery never lists it as a run of its own.
import * as fs from 'fs';
import * as path from 'path';

export const LAUNCHES_DIR = path.join('.grpo-lens', 'launches');
export const LAUNCH_FILE = 'launch.json';
export const STATUS_FILE = 'status.json';
export const LOG_FILE = 'train.log';

export type LaunchKind = 'command' | 'slurm';
/** The signal (or Slurm command) that ended a run we stopped. */
export type EndedBy = 'SIGINT' | 'SIGTERM' | 'SIGKILL' | 'scancel --signal=INT' | 'scancel';

export interface LaunchRecord {
  kind: LaunchKind;
  name: string;
  /** argv (run without a shell) or one line run by /bin/sh -c. */
  command: string[] | string;
  cwd: string;
  /** Only what the profile adds to the environment (never the whole environment). */
  env: Record<string, string>;
  /** Folders the run writes (absolute): a run found in one of them is this launch's run. */
  watch: string[];
  runsDir: string;
  createdAt: number;
  /** The profile as the user wrote it, for the record. */
  profile?: unknown;
  /** Slurm: the script submitted. */
  script?: string;
}

export interface LaunchStatus {
  /** starting → running → exited | failed; 'stopping' while a stop is under way; Slurm: submitted. */
  state: 'starting' | 'running' | 'stopping' | 'exited' | 'failed' | 'stopped' | 'submitted';
  host: string;
  startedAt: number;
  updatedAt: number;
  /** The supervisor: leader of the process group the command runs in. */
  pid?: number;
  pgid?: number;
  /** The command itself (a child of the supervisor, same group). */
  childPid?: number;
  jobId?: string;
  exitCode?: number | null;
  signal?: string | null;
  endedAt?: number;
  endedBy?: EndedBy;
  /** Slurm: when the job was last resumed (a signal right after may be dropped). */
  resumedAt?: number;
  /** Why it could not start, or failed. */
  error?: string;
}

export function launchesDir(runsDir: string): string {
  return path.join(runsDir, LAUNCHES_DIR);
}

/** A fresh sidecar folder for a launch named `name` at `now` (created). */
export function createSidecar(runsDir: string, name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = path.join(launchesDir(runsDir), `${safeName(name)}-${stamp}`);
  fs.mkdirSync(path.dirname(base), { recursive: true });
  for (let i = 0; ; i++) {
    const dir = i === 0 ? base : `${base}-${i}`;
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

export function safeName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+/, '')
      .slice(0, 60) || 'run'
  );
}

/** Written whole to a temp file and renamed, so a reader never sees half of it. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', 'utf8');
  fs.renameSync(tmp, file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function readLaunch(sidecar: string): LaunchRecord | undefined {
  return readJson<LaunchRecord>(path.join(sidecar, LAUNCH_FILE));
}

export function readStatus(sidecar: string): LaunchStatus | undefined {
  return readJson<LaunchStatus>(path.join(sidecar, STATUS_FILE));
}

/** Read, change, write back: the status keeps what others wrote that this update does not set. */
export function updateStatus(sidecar: string, change: Partial<LaunchStatus>): LaunchStatus {
  const now = Date.now() / 1000;
  const status = { ...readStatus(sidecar), ...change, updatedAt: now } as LaunchStatus;
  writeJsonAtomic(path.join(sidecar, STATUS_FILE), status);
  return status;
}

/** Whether `dir` is a sidecar folder (it has a launch.json). */
export function isSidecar(dir: string): boolean {
  return fs.existsSync(path.join(dir, LAUNCH_FILE));
}

/** The last `count` lines of the launch's train.log (for messages about a failed start). */
export function logTail(sidecar: string, count = 10, maxBytes = 16384): string[] {
  try {
    const file = path.join(sidecar, LOG_FILE);
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      return buffer
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-count);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
}
