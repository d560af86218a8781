// Whether the process a run's status.json names is still that run's process.
import * as fs from 'fs';

/** Linux's USER_HZ: /proc reports process start times in these ticks since boot. */
const CLOCK_TICKS_PER_SECOND = 100;
/** Allowance for clock granularity between a process starting and writing its status. */
const START_SLACK_SECONDS = 2;

/**
 * True when `pid` is alive and, where /proc can tell, started before the run last wrote
 * its status (`lastUpdated`, unix seconds). A process that started later is a stranger
 * that was given the dead trainer's recycled pid.
 */
export function isProcessAlive(pid: number | undefined, lastUpdated?: number): boolean | undefined {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartTime(pid);
  if (started === undefined || lastUpdated === undefined) return true;
  return started <= lastUpdated + START_SLACK_SECONDS;
}

/** Unix time (seconds) at which a process started, from /proc; undefined off Linux. */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const bootTime = Number(/^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(bootTime)) return undefined;
    return bootTime + ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
