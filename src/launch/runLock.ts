// The run directory's lock as the trainer holds it (trainer/grpo_lens/run_lock.py:
// an flock on <run>/.lock, whose text names the holder). Node has no flock, so the
// extension reads the holder and asks whether that process is alive on this host:
// enough to refuse a second resume before spawning; the trainer's flock is the guard.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isProcessAlive } from '../runs/liveness';
import { processInfo } from './processGroup';

export const LOCK_FILE = '.lock';

export interface LockHolder {
  pid: number;
  host: string;
  started: number;
}

/** Who holds the run's lock now, or undefined when nobody does (or we cannot tell). */
export function lockHolder(runDir: string, host = os.hostname()): LockHolder | undefined {
  let holder: LockHolder;
  try {
    holder = JSON.parse(fs.readFileSync(path.join(runDir, LOCK_FILE), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
  if (typeof holder.pid !== 'number' || holder.host !== host) return undefined;
  // A zombie (ended, not yet reaped by its parent) holds no flock any more.
  const state = processInfo(holder.pid)?.state;
  if (state === 'Z' || state === 'X') return undefined;
  return isProcessAlive(holder.pid, holder.started) ? holder : undefined;
}

/**
 * The lock's holder once it has had `waitMs` to let go: a trainer that has just written its
 * final state (stopped, finished) is still closing its files for a moment, and a resume
 * asked for right then should wait for it rather than be refused.
 */
export async function lockHolderAfter(runDir: string, waitMs: number): Promise<LockHolder | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const holder = lockHolder(runDir);
    if (!holder || Date.now() >= deadline) return holder;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function lockedMessage(runDir: string, holder: LockHolder): string {
  return (
    `${path.basename(runDir)} is being written by process ${holder.pid} on ${holder.host} ` +
    `(started ${new Date(holder.started * 1000).toLocaleString()}): stop that run first, or resume into a new run.`
  );
}
