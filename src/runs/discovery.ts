// Finding runs: a bounded walk down from each root, asking every source whether a
// folder holds its runs. A folder in which a source found a run is not descended
// into; hidden folders, node_modules and excluded paths are never entered.
import * as fs from 'fs';
import * as path from 'path';
import { FALLBACK_SOURCES, SOURCES } from './sources/registry';
import type { FoundRun, RunSource } from './sources/source';

export interface ScanRoot {
  path: string;
  /** How many folder levels below the root a run may be (0: the root itself only). */
  depth: number;
}

export interface ScanOptions {
  /** files.exclude and the like: true for a path that must not be entered. */
  isExcluded?: (absolutePath: string) => boolean;
  sources?: readonly RunSource[];
  fallbacks?: readonly RunSource[];
}

const NEVER_ENTERED = new Set(['node_modules', '__pycache__', 'site-packages', 'wandb']);

export async function findRuns(roots: ScanRoot[], options: ScanOptions = {}): Promise<FoundRun[]> {
  const found = new Map<string, FoundRun>();
  for (const root of roots) {
    for (const run of await runsUnder(path.resolve(root.path), root.depth, options)) {
      if (!found.has(run.id)) found.set(run.id, run);
    }
  }
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The runs in one folder, by every source that recognises it. */
export async function runsIn(dir: string, entries: string[], options: ScanOptions = {}): Promise<FoundRun[]> {
  const runs: FoundRun[] = [];
  for (const source of options.sources ?? SOURCES) runs.push(...(await askSource(source, dir, entries)));
  if (runs.length > 0) return runs;
  for (const source of options.fallbacks ?? FALLBACK_SOURCES)
    runs.push(...(await askSource(source, dir, entries)));
  return runs;
}

async function askSource(source: RunSource, dir: string, entries: string[]): Promise<FoundRun[]> {
  try {
    return await source.find(dir, entries);
  } catch {
    return []; // a folder a source cannot read is not its run
  }
}

async function runsUnder(dir: string, depth: number, options: ScanOptions): Promise<FoundRun[]> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
  const runs = await runsIn(
    dir,
    entries.map((e) => e.name),
    options,
  );
  if (runs.length > 0 || depth <= 0) return runs;
  const below = entries
    .filter((e) => e.isDirectory() && isEntered(e.name))
    .map((e) => path.join(dir, e.name))
    .filter((sub) => !options.isExcluded?.(sub));
  const nested = await Promise.all(below.map((sub) => runsUnder(sub, depth - 1, options)));
  return nested.flat();
}

function isEntered(name: string): boolean {
  return !name.startsWith('.') && !NEVER_ENTERED.has(name);
}

/** The runs a changed path belongs to: those that watch it or a folder above it. */
export function runsWatching(runs: Iterable<FoundRun>, changedPath: string): FoundRun[] {
  const changed = path.resolve(changedPath);
  return [...runs].filter((run) =>
    run.watch.some((w) => changed === w || changed.startsWith(w.endsWith(path.sep) ? w : w + path.sep)),
  );
}
