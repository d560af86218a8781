// The processes of a launched run: one process group (the supervisor leads it, the
// command and every rank it starts are in it), read from /proc and signalled as a whole.
import * as fs from 'fs';
import * as path from 'path';

export interface ProcessInfo {
  pid: number;
  /** /proc's one-letter state: R running, S sleeping, T stopped, Z zombie… */
  state: string;
  pgid: number;
}

/** One process's state and group from /proc/PID/stat; undefined if it is gone. */
export function processInfo(pid: number, procRoot = '/proc'): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    // The command name may hold spaces and parentheses: fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0], pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Every live (not zombie) process of a group, from /proc. */
export function groupProcesses(pgid: number, procRoot = '/proc'): ProcessInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(procRoot);
  } catch {
    return [];
  }
  const found: ProcessInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const info = processInfo(Number(name), procRoot);
    if (info && info.pgid === pgid && info.state !== 'Z' && info.state !== 'X') found.push(info);
  }
  return found;
}

/** Whether any process of the group is alive; kill(-pgid, 0) where /proc is absent. */
export function groupAlive(pgid: number, procRoot = '/proc'): boolean {
  if (fs.existsSync(path.join(procRoot, 'self'))) return groupProcesses(pgid, procRoot).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends a signal to the whole group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Resolves true once the group has no live process, false after `timeoutMs`. */
export async function waitGroupGone(pgid: number, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}
