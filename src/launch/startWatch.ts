// The first moments of a launched command: did it start, did it end at once, does it
// write the folders it was said to write? Each problem comes with the last lines of its
// train.log, so that the message says why without opening anything.
import * as fs from 'fs';
import * as path from 'path';
import { endedHow, launchView } from './launchState';
import { logTail, readLaunch } from './sidecar';

export interface StartProblem {
  kind: 'not-started' | 'ended' | 'no-output';
  message: string;
  logTail: string[];
}

export interface StartWatchOptions {
  /** A run without watched folders that lives this long has started (ms). */
  graceMs?: number;
  /** How long a run may take to write its first file in a watched folder (ms). */
  outputTimeoutMs?: number;
  pollMs?: number;
}

/** Resolves with the problem of a start, or undefined once it is running as asked. */
export async function watchStart(
  sidecar: string,
  options: StartWatchOptions = {},
): Promise<StartProblem | undefined> {
  const { graceMs = 5000, outputTimeoutMs = 120_000, pollMs = 200 } = options;
  const launch = readLaunch(sidecar);
  const watch = launch?.watch ?? [];
  const since = (launch?.createdAt ?? Date.now() / 1000) - 2;
  const started = Date.now();
  for (;;) {
    const problem = endedProblem(sidecar, watch, since);
    if (problem !== undefined) return problem ?? undefined;
    const waited = Date.now() - started;
    if (watch.length === 0 && waited >= graceMs) return undefined;
    if (watch.length > 0 && waited >= outputTimeoutMs) {
      const seconds = Math.round(outputTimeoutMs / 1000);
      return problemWith(
        sidecar,
        'no-output',
        `it has written nothing in ${watch.join(', ')} after ${seconds} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** A problem; null when all is well and watching can end; undefined to keep watching. */
function endedProblem(sidecar: string, watch: string[], since: number): StartProblem | null | undefined {
  const view = launchView(sidecar);
  if (!view) return undefined;
  const wrote = watch.length > 0 && watch.some((w) => writtenSince(w, since));
  if (view.state === 'failed' && view.status.error)
    return problemWith(sidecar, 'not-started', view.status.error);
  if (['finished', 'failed', 'lost'].includes(view.state)) {
    // A quick command that succeeded is no problem, unless it was to write a run.
    if (wrote || (view.state === 'finished' && watch.length === 0)) return null;
    const where = watch.length > 0 ? ` before writing ${watch.join(', ')}` : ' at once';
    return problemWith(sidecar, 'ended', `it ended${where} (${endedHow(view.status)})`);
  }
  return wrote ? null : undefined;
}

function problemWith(sidecar: string, kind: StartProblem['kind'], message: string): StartProblem {
  return { kind, message, logTail: logTail(sidecar, 10) };
}

/** Whether anything in the folder (a few levels down) was written since `since` (unix s). */
export function writtenSince(dir: string, since: number, depth = 3): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0 && writtenSince(full, since, depth - 1)) return true;
    } else if (mtime(full) >= since) return true;
  }
  return false;
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs / 1000;
  } catch {
    return 0;
  }
}
