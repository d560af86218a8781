// Whether the process a run's status.json names is still that run's process.
import * as fs from 'fs';
import * as path from 'path';

/** Linux's USER_HZ: /proc reports process start times in these ticks since boot. */
const CLOCK_TICKS_PER_SECOND = 100;
/** Allowance for clock granularity between a process starting and writing its status. */
const START_SLACK_SECONDS = 2;
/**
 * Without /proc (macOS, Windows) a recycled pid looks alive, so a silent status is the
 * sign: a trainer rewrites status.json every step (and while paused). Silence is stale
 * only when it lasts this many expected steps, and never under the floor: a slow first
 * step, a large checkpoint or a model download must not read as death.
 */
export const HEARTBEAT_STEPS = 20;
export const HEARTBEAT_FLOOR_SECONDS = 10 * 60;

/** The median time between the last steps (rows in step order, `time` in Unix seconds), if known. */
export function expectedStepSeconds(
  rows: { step: number; time?: number }[],
  lookback = 20,
): number | undefined {
  const timed = rows.filter((r) => typeof r.time === 'number').slice(-(lookback + 1));
  const gaps: number[] = [];
  for (let i = 1; i < timed.length; i++) {
    const steps = timed[i].step - timed[i - 1].step;
    if (steps > 0) gaps.push(((timed[i].time as number) - (timed[i - 1].time as number)) / steps);
  }
  if (gaps.length === 0) return undefined;
  return gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
}

export interface LivenessOptions {
  /** Seconds one step is expected to take (e.g. the median of recent steps). */
  expectedStepSeconds?: number;
  /** Unix seconds now; for tests. */
  now?: number;
  /** Where process information lives; for tests ('/proc' on Linux). */
  procRoot?: string;
}

/**
 * True when `pid` is alive and still the run's process: where /proc can tell, it started
 * before the run last wrote its status (`lastUpdated`, unix seconds), since a process that
 * started later is a stranger given the dead trainer's recycled pid; where /proc cannot
 * tell, the status has been written recently enough (see heartbeatExpired).
 */
export function isProcessAlive(
  pid: number | undefined,
  lastUpdated?: number,
  options: LivenessOptions = {},
): boolean | undefined {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (lastUpdated === undefined) return true;
  const procRoot = options.procRoot ?? '/proc';
  const started = processStartTime(pid, procRoot);
  if (started !== undefined) return started <= lastUpdated + START_SLACK_SECONDS;
  if (hasProc(procRoot)) return true; // /proc is there but could not say: trust kill()
  return !heartbeatExpired(lastUpdated, options.expectedStepSeconds, options.now);
}

/** Whether a status last written at `lastUpdated` (unix seconds) has been silent too long. */
export function heartbeatExpired(
  lastUpdated: number,
  expectedStepSeconds?: number,
  now = Date.now() / 1000,
): boolean {
  const step = expectedStepSeconds !== undefined && expectedStepSeconds > 0 ? expectedStepSeconds : 0;
  const allowed = Math.max(HEARTBEAT_FLOOR_SECONDS, HEARTBEAT_STEPS * step);
  return now - lastUpdated > allowed;
}

function hasProc(procRoot: string): boolean {
  return fs.existsSync(path.join(procRoot, 'stat'));
}

/** Unix time (seconds) at which a process started, from /proc; undefined off Linux. */
export function processStartTime(pid: number, procRoot = '/proc'): number | undefined {
  try {
    const stat = fs.readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const bootTime = Number(/^btime (\d+)$/m.exec(fs.readFileSync(path.join(procRoot, 'stat'), 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(bootTime)) return undefined;
    return bootTime + ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
