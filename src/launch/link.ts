// The link between a run a source found (a TRL output_dir, a verl log folder…) and the
// launch of ours that writes it: a sidecar whose launch.json names, in `watch`, the
// run's folder or a folder above it. Sidecars live in <runs dir>/.grpo-lens/launches/,
// and the runs dir is the run's folder's parent or a folder above it, so the search
// looks a few levels up from the run. The newest launch that names the run wins.
import * as fs from 'fs';
import * as path from 'path';
import { launchesDir, LaunchRecord, readLaunch } from './sidecar';

/** How many folders above a run its launches may be recorded. */
const LEVELS_UP = 4;
/** Folder listings are read again at most this often (the store asks on every tick). */
const LISTING_TTL_MS = 2000;

export interface LinkedLaunch {
  sidecar: string;
  launch: LaunchRecord;
}

const listings = new Map<string, { at: number; launches: LinkedLaunch[] }>();

/** The launch that writes `runDir`, if one of ours does. */
export function launchFor(runDir: string, now = Date.now()): LinkedLaunch | undefined {
  const run = path.resolve(runDir);
  let best: LinkedLaunch | undefined;
  let dir = run;
  for (let level = 0; level <= LEVELS_UP; level++) {
    for (const linked of launchesIn(launchesDir(dir), now)) {
      if (!linked.launch.watch.some((w) => covers(w, run))) continue;
      if (!best || linked.launch.createdAt > best.launch.createdAt) best = linked;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return best;
}

/** A watched folder covers the run in it, and a run folder below it (output_dir/run-1). */
function covers(watched: string, run: string): boolean {
  const w = path.resolve(watched);
  return run === w || run.startsWith(w.endsWith(path.sep) ? w : w + path.sep);
}

function launchesIn(dir: string, now: number): LinkedLaunch[] {
  const cached = listings.get(dir);
  if (cached && now - cached.at < LISTING_TTL_MS) return cached.launches;
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    names = [];
  }
  const launches = names
    .map((name) => path.join(dir, name))
    .map((sidecar) => ({ sidecar, launch: readLaunch(sidecar) }))
    .filter((l): l is LinkedLaunch => l.launch !== undefined && Array.isArray(l.launch.watch));
  listings.set(dir, { at: now, launches });
  return launches;
}

/** Forget cached listings (after a launch, so that its run is linked at once). */
export function forgetLaunchListings(): void {
  listings.clear();
}
