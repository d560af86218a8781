// From what the user typed to runs: the runs under some folders (ls), and the one
// run a RUN operand names, a run's folder or a run's id (`<db>#<run>` for Trackio).
// Every source is asked through the registry; no trainer's file names are known here.
import * as fs from 'fs';
import * as path from 'path';
import { findRuns, runsIn, type ScanOptions } from '../runs/discovery';
import { FALLBACK_SOURCES, SOURCES } from '../runs/sources/registry';
import type { FoundRun, RunSource } from '../runs/sources/source';
import { UsageError } from './args';

/** As deep as the extension looks below a workspace folder (src/runs/roots.ts). */
export const LIST_DEPTH = 3;

export function allSources(options: ScanOptions = {}): RunSource[] {
  return [...(options.sources ?? SOURCES), ...(options.fallbacks ?? FALLBACK_SOURCES)];
}

export function sourceOf(run: FoundRun): RunSource {
  const source = allSources().find((s) => s.kind === run.source);
  if (!source) throw new UsageError(`no source reads runs of kind '${run.source}'`);
  return source;
}

export async function runsUnder(dirs: string[], options: ScanOptions = {}): Promise<FoundRun[]> {
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) throw new UsageError(`${dir} does not exist`);
    if (!isFolder(dir)) throw new UsageError(`${dir} is not a folder`);
  }
  return findRuns(
    dirs.map((dir) => ({ path: dir, depth: LIST_DEPTH })),
    options,
  );
}

/** The one run RUN names, or a UsageError saying why there is none (options: sources, for tests). */
export async function resolveRun(operand: string, options: ScanOptions = {}): Promise<FoundRun> {
  const full = path.resolve(operand);
  if (fs.existsSync(full)) return runAtPath(operand, full, options);
  const byId = await runById(operand, options);
  if (byId) return byId;
  throw new UsageError(`${operand} does not exist`);
}

async function runAtPath(operand: string, full: string, options: ScanOptions): Promise<FoundRun> {
  if (isFolder(full)) return onlyRun(operand, await runsInFolder(full, options), options);
  // A file that is a run (a verl metrics log) or holds runs (a Trackio database: ids `<file>#…`).
  const inFile = (await runsInFolder(path.dirname(full), options)).filter(
    (r) => r.id === full || r.id.startsWith(`${full}#`),
  );
  return onlyRun(operand, inFile, options, '');
}

/** `<db>#<run>`: the db part is the longest prefix before a '#' that exists. */
async function runById(operand: string, options: ScanOptions): Promise<FoundRun | undefined> {
  for (let i = operand.lastIndexOf('#'); i > 0; i = operand.lastIndexOf('#', i - 1)) {
    const db = path.resolve(operand.slice(0, i));
    if (!fs.existsSync(db)) continue;
    const id = db + operand.slice(i);
    const runs = await runsInFolder(isFolder(db) ? db : path.dirname(db), options);
    const run = runs.find((r) => r.id === id || r.id === operand);
    if (run) return run;
    throw new UsageError(`${operand}: no run with this id in ${db} (${listed(runs)})`);
  }
  return undefined;
}

async function runsInFolder(dir: string, options: ScanOptions): Promise<FoundRun[]> {
  const entries = await fs.promises.readdir(dir).catch(() => undefined);
  if (entries === undefined) throw new UsageError(`${dir} cannot be read`);
  return runsIn(dir, entries, options);
}

function onlyRun(
  operand: string,
  runs: FoundRun[],
  options: ScanOptions,
  hint = `; \`grpo-lens ls ${operand}\` lists the runs below it`,
): FoundRun {
  if (runs.length === 1) return runs[0];
  if (runs.length > 1)
    throw new UsageError(`${operand} holds ${runs.length} runs; name one by its id (${listed(runs)})`);
  const labels = allSources(options)
    .map((s) => s.label)
    .join(', ');
  throw new UsageError(
    `${operand} is not a run folder GRPO Lens can read (looked for runs of: ${labels}${hint})`,
  );
}

function listed(runs: FoundRun[]): string {
  return runs.length === 0 ? 'it holds none' : `ids: ${runs.map((r) => r.id).join(', ')}`;
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
